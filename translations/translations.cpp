// Anchor for the compiled translations (.qm files embedded under :/i18n by translations/CMakeLists.txt).
namespace qs {
int translationsAnchor() { return 0; }
} // namespace qs
