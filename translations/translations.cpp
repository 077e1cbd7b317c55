// Anchor for the compiled translations (.qm files embedded under :/i18n by qt_add_translations).
namespace qs {
int translationsAnchor() { return 0; }
} // namespace qs
