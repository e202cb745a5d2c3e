from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


def train_model(X_train, y_train):
    # 错误：KNN 基于距离，特征没有标准化，准确率只有 0.7 左右
    return KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train)


def evaluate(model, X_test, y_test):
    pred = model.predict(X_test)
    return {
        "accuracy": round(float(accuracy_score(y_test, pred)), 4),
        "confusion": confusion_matrix(y_test, pred).tolist(),
    }


if __name__ == "__main__":
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    model = train_model(X_train, y_train)
    print(f"准确率：{evaluate(model, X_test, y_test)['accuracy']:.4f}")
