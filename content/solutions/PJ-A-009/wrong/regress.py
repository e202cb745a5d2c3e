from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold, cross_val_score
from sklearn.tree import DecisionTreeRegressor


def fit_regressor(X_train, y_train):
    # 错误：不限深度的决策树严重过拟合，测试集 R² 很低
    return DecisionTreeRegressor(random_state=0).fit(X_train, y_train)


def regression_report(y_true, y_pred):
    return {
        "mae": round(mean_absolute_error(y_true, y_pred), 4),
        # 错误：没有开平方，得到的是 MSE
        "rmse": round(mean_squared_error(y_true, y_pred), 4),
        "r2": round(r2_score(y_true, y_pred), 4),
    }


def cv_r2(X, y, k=5):
    scores = cross_val_score(LinearRegression(), X, y, cv=KFold(n_splits=k, shuffle=True, random_state=0), scoring="r2")
    return round(scores.mean(), 4)
