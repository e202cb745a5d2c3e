# 常见错误：区间边界用了 <=，18.5、24、28 都被划到了下一档之前
def bmi(weight_kg, height_cm):
    h = height_cm / 100
    return round(weight_kg / h ** 2, 1)


def bmi_level(value):
    if value <= 18.5:
        return '偏瘦'
    elif value <= 24:
        return '正常'
    elif value <= 28:
        return '超重'
    else:
        return '肥胖'


if __name__ == '__main__':
    w = float(input('体重（千克）：'))
    h = float(input('身高（厘米）：'))
    v = bmi(w, h)
    print(f'BMI：{v}，{bmi_level(v)}')
