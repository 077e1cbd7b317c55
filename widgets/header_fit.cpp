#include "header_fit.h"

#include <QAbstractItemModel>
#include <QHeaderView>

namespace qs {

void keepHeaderTitlesWhole(QHeaderView *header)
{
    QObject::connect(header->model(), &QAbstractItemModel::headerDataChanged, header,
                     [header](Qt::Orientation orientation, int first, int last) {
                         if (orientation != header->orientation())
                             return;
                         for (int s = std::max(first, 0); s <= last && s < header->count(); ++s)
                             if (!header->isSectionHidden(s) && header->sectionSize(s) < header->sectionSizeHint(s))
                                 header->resizeSection(s, header->sectionSizeHint(s));
                     });
}

} // namespace qs
