const products = [
  { name: '笔记本', price: 6.8, stock: 120 },
  { name: '中性笔', price: 2.5, stock: 300 },
  { name: '文件夹', price: 9.9, stock: 0 },
  { name: '订书机', price: 35, stock: 15 },
  { name: '便利贴', price: 4.2, stock: 80 },
];

const tbody = document.querySelector('#products tbody');
let total = 0;
for (const p of products) {
  const tr = document.createElement('tr');
  if (p.stock === 0) tr.className = 'out';
  for (const text of [p.name, p.price.toFixed(2), p.stock === 0 ? '缺货' : String(p.stock)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
  total += p.price * p.stock;
}
document.querySelector('#total').textContent = '库存总值：¥' + total.toFixed(2);
