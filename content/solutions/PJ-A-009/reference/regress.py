import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold, cross_val_score


def fit_regressor(X_train, y_train):
    return LinearRegression().fit(X_train, y_train)


def regression_report(y_true, y_pred):
    return {
        "mae": round(float(mean_absolute_error(y_true, y_pred)), 4),
        "rmse": round(float(np.sqrt(mean_squared_error(y_true, y_pred))), 4),
        "r2": round(float(r2_score(y_true, y_pred)), 4),
    }


def cv_r2(X, y, k=5):
    folds = KFold(n_splits=k, shuffle=True, random_state=0)
    scores = cross_val_score(LinearRegression(), X, y, cv=folds, scoring="r2")
    return round(float(scores.mean()), 4)


if __name__ == "__main__":
    from sklearn.model_selection import train_test_split

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)
    model = fit_regressor(X_train, y_train)
    print(regression_report(y_test, model.predict(X_test)))
    print("5 折交叉验证 R²：", cv_r2(X, y))
