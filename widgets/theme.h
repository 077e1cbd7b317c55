// The studio's look: the platform's own palette, or a dark one.
#pragma once

namespace qs {

// Fusion with a dark palette (the same on every desktop), or the style's standard palette.
void applyDarkTheme(bool on);

} // namespace qs
