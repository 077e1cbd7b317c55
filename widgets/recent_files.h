// The files opened lately (models, GGUF files, projects), remembered across runs, as a menu.
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace qs {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    explicit RecentFiles(QObject *parent = nullptr);

    static constexpr int kMax = 8;
    QStringList files() const;
    void add(const QString &path);  // first in the list, once
    void setMenu(QMenu *menu);      // the menu that lists them (rebuilt with the menu bar)

Q_SIGNALS:
    void chosen(const QString &path);

private:
    void rebuild();
    QMenu *m_menu = nullptr;
};

} // namespace qs
