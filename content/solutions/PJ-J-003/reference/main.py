def bmi(weight_kg, height_cm):
    """体重（千克）与身高（厘米）算出 BMI，保留一位小数。"""
    height_m = height_cm / 100
    return round(weight_kg / (height_m * height_m), 1)


def bmi_level(value):
    """BMI 对应的等级。"""
    if value < 18.5:
        return '偏瘦'
    if value < 24:
        return '正常'
    if value < 28:
        return '超重'
    return '肥胖'


if __name__ == '__main__':
    w = float(input('体重（千克）：'))
    h = float(input('身高（厘米）：'))
    v = bmi(w, h)
    print(f'BMI：{v}，{bmi_level(v)}')
