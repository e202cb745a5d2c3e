// 常见错误：库存为 0 的行没有加上 class="out"，缺货商品不会显示为灰色；库存列直接显示 0
const products = [
  { name: '笔记本', price: 6.8, stock: 120 },
  { name: '中性笔', price: 2.5, stock: 300 },
  { name: '文件夹', price: 9.9, stock: 0 },
  { name: '订书机', price: 35, stock: 15 },
  { name: '便利贴', price: 4.2, stock: 80 },
];

let html = '';
let total = 0;
products.forEach(function (p) {
  html += '<tr><td>' + p.name + '</td><td>' + p.price.toFixed(2) + '</td><td>' + p.stock + '</td></tr>';
  total = total + p.price * p.stock;
});
document.querySelector('#products tbody').innerHTML = html;
document.getElementById('total').innerText = '库存总值：¥' + total.toFixed(2);
