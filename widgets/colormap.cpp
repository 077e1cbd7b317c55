#include "colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace qs {

QRgb viridis(double t)
{
    // matplotlib's viridis sampled at 0, 1/8, ..., 1
    static constexpr std::array<std::array<int, 3>, 9> kStops = {{{68, 1, 84},
                                                                  {71, 44, 122},
                                                                  {59, 81, 139},
                                                                  {44, 113, 142},
                                                                  {33, 144, 141},
                                                                  {39, 173, 129},
                                                                  {92, 200, 99},
                                                                  {170, 220, 50},
                                                                  {253, 231, 37}}};
    if (!std::isfinite(t))
        return qRgb(128, 128, 128);
    t = std::clamp(t, 0.0, 1.0) * 8.0;
    const int i = std::min(7, static_cast<int>(t));
    const double f = t - i;
    auto mix = [&](int c) { return static_cast<int>(std::lround(kStops[static_cast<size_t>(i)][static_cast<size_t>(c)] * (1 - f) +
                                                                kStops[static_cast<size_t>(i + 1)][static_cast<size_t>(c)] * f)); };
    return qRgb(mix(0), mix(1), mix(2));
}

namespace {

struct Msh {
    double m, s, h;
};

// sRGB (0..255) <-> CIELAB (D65) <-> Msh, the colour science of Moreland's paper
double toLinear(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double fromLinear(double c)
{
    c = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
    return std::clamp(c, 0.0, 1.0) * 255.0;
}

constexpr double kXn = 0.95047, kYn = 1.0, kZn = 1.08883;

double labF(double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16) / 116; }
double labFInv(double t) { return t * t * t > 216.0 / 24389.0 ? t * t * t : (116 * t - 16) * 27.0 / 24389.0; }

Msh toMsh(int r8, int g8, int b8)
{
    const double r = toLinear(r8), g = toLinear(g8), b = toLinear(b8);
    const double x = 0.4124 * r + 0.3576 * g + 0.1805 * b, y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
                 z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
    const double fx = labF(x / kXn), fy = labF(y / kYn), fz = labF(z / kZn);
    const double L = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
    const double m = std::sqrt(L * L + a * a + bb * bb);
    return {m, m > 0 ? std::acos(L / m) : 0, std::atan2(bb, a)};
}

QRgb fromMsh(const Msh &c)
{
    const double L = c.m * std::cos(c.s), a = c.m * std::sin(c.s) * std::cos(c.h), bb = c.m * std::sin(c.s) * std::sin(c.h);
    const double fy = (L + 16) / 116, fx = fy + a / 500, fz = fy - bb / 200;
    const double x = kXn * labFInv(fx), y = kYn * labFInv(fy), z = kZn * labFInv(fz);
    const double r = 3.2406 * x - 1.5372 * y - 0.4986 * z, g = -0.9689 * x + 1.8758 * y + 0.0415 * z,
                 b = 0.0557 * x - 0.2040 * y + 1.0570 * z;
    return qRgb(static_cast<int>(std::lround(fromLinear(r))), static_cast<int>(std::lround(fromLinear(g))),
                static_cast<int>(std::lround(fromLinear(b))));
}

// the hue to turn towards an unsaturated colour so that the path through the middle does not bend in hue
double adjustHue(const Msh &saturated, double unsaturatedM)
{
    if (saturated.m >= unsaturatedM)
        return saturated.h;
    const double spin = saturated.s * std::sqrt(unsaturatedM * unsaturatedM - saturated.m * saturated.m) /
                        (saturated.m * std::sin(saturated.s));
    return saturated.h > -0.3 * M_PI ? saturated.h + spin : saturated.h - spin;
}

} // namespace

QRgb diverging(double t)
{
    if (!std::isfinite(t))
        return qRgb(128, 128, 128);
    // Moreland's cool-warm end points
    static const Msh kCool = toMsh(59, 76, 192), kWarm = toMsh(180, 4, 38);
    const double u = (std::clamp(t, -1.0, 1.0) + 1) / 2; // 0 = cool end, 1 = warm end
    Msh a = kCool, b = kWarm;
    double f = u;
    const double midM = std::max({a.m, b.m, 88.0});
    if (u < 0.5) {
        b = {midM, 0, 0};
        f = 2 * u;
    } else {
        a = {midM, 0, 0};
        f = 2 * u - 1;
    }
    // a white (unsaturated) end takes the saturated end's hue, adjusted
    if (a.s < 0.05 && b.s > 0.05)
        a.h = adjustHue(b, a.m);
    else if (b.s < 0.05 && a.s > 0.05)
        b.h = adjustHue(a, b.m);
    return fromMsh({(1 - f) * a.m + f * b.m, (1 - f) * a.s + f * b.s, (1 - f) * a.h + f * b.h});
}

} // namespace qs
