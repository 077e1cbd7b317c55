// The studio's main window: open a model (folder, .gguf, drag and drop, recent files, the built-in demo), see its
// card and every tensor. Opening runs in a worker thread so the window never freezes on a slow disk.
#pragma once

#include "model/model.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTableView;

namespace qs {

class ModelCard;
class TensorTableModel;

// What the loader thread hands back: a model, or a message for a person.
struct ModelLoadOutcome {
    std::shared_ptr<const Model> model;
    QString error;
    QString path;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    const Model *currentModel() const { return m_model.get(); }
    TensorTableModel *tensorTable() const { return m_table; }
    QString lastError() const;

public Q_SLOTS:
    void openModel(const QString &path);
    void openDemoModel();

Q_SIGNALS:
    void modelOpened(const QString &path);
    void modelOpenFailed(const QString &message);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    void onLoadFinished();
    void showError(const QString &message);
    void addRecent(const QString &path);
    void rebuildRecentMenu();

    std::shared_ptr<const Model> m_model;
    TensorTableModel *m_table = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    ModelCard *m_card = nullptr;
    QLabel *m_errorBanner = nullptr;
    QMenu *m_recentMenu = nullptr;
    QFutureWatcher<ModelLoadOutcome> m_loader;
};

} // namespace qs
