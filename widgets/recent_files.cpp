#include "recent_files.h"

#include <QMenu>
#include <QSettings>

namespace qs {

namespace {
const QString kKey = QStringLiteral("recentModels");
} // namespace

RecentFiles::RecentFiles(QObject *parent) : QObject(parent) {}

QStringList RecentFiles::files() const { return QSettings().value(kKey).toStringList(); }

void RecentFiles::add(const QString &path)
{
    QStringList recent = files();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMax)
        recent.removeLast();
    QSettings().setValue(kKey, recent);
    rebuild();
}

void RecentFiles::setMenu(QMenu *menu)
{
    m_menu = menu;
    rebuild();
}

void RecentFiles::rebuild()
{
    if (!m_menu)
        return;
    m_menu->clear();
    const QStringList recent = files();
    for (const QString &p : recent)
        m_menu->addAction(p, this, [this, p] { Q_EMIT chosen(p); });
    m_menu->setEnabled(!recent.isEmpty());
}

} // namespace qs
