// Column titles stay whole when they change: an analysis renames "Error" to "误差 Q4_K", a language switch makes
// "Planned error" "Geplanter Fehler". A section grows to its title whenever the title changes; it never shrinks, so
// widths a person chose stay (ResizeToContents would measure every row and take the widths out of their hands).
#pragma once

class QHeaderView;

namespace qs {

// Call after the header's view has its model.
void keepHeaderTitlesWhole(QHeaderView *header);

} // namespace qs
