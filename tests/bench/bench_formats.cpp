// Benchmark: quantization throughput per format, one thread, in million elements per second, without and with
// an importance matrix, next to llama.cpp's own figures measured on a 2-vCPU Xeon of this machine kind
// (../shared/notes/llamacpp-gguf.md section 5). A plain pass over the same floats (sum of squares) runs in the
// same process as the memory floor. Prints figures; never passes or fails on the clock.
#include "formats/ggml_type.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace qs;

namespace {

struct Reference {
    GgmlType type;
    double plain;   // llama.cpp Melem/s without imatrix (0: not measured)
    double imatrix; // with imatrix (0: not measured or imatrix ignored)
};

constexpr Reference kLlamaCpp[] = {
    {GgmlType::Q4_0, 349, 37},  {GgmlType::Q4_1, 372, 8.1}, {GgmlType::Q5_0, 0, 0},     {GgmlType::Q5_1, 0, 0},
    {GgmlType::Q8_0, 232, 0},   {GgmlType::Q2_K, 17, 7.3},  {GgmlType::Q3_K, 83, 26},   {GgmlType::Q4_K, 15, 8.5},
    {GgmlType::Q5_K, 18, 8.3},  {GgmlType::Q6_K, 34, 33},   {GgmlType::IQ4_NL, 0, 0},   {GgmlType::IQ4_XS, 4.6, 0},
};

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Runs f until at least `minSeconds` have passed; returns Melem/s.
template <class F>
double throughput(int64_t elements, double minSeconds, F &&f)
{
    int reps = 0;
    const auto t0 = std::chrono::steady_clock::now();
    do {
        f();
        ++reps;
    } while (seconds(std::chrono::steady_clock::now() - t0) < minSeconds);
    return static_cast<double>(elements) * reps / seconds(std::chrono::steady_clock::now() - t0) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    const double minSeconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int64_t nPerRow = 4096, rows = 64, n = nPerRow * rows;
    std::mt19937 rng(42);
    std::normal_distribution<float> gauss(0.f, 0.02f);
    std::vector<float> x(static_cast<size_t>(n));
    for (auto &v : x)
        v = gauss(rng);
    std::uniform_real_distribution<float> uni(0.1f, 4.f);
    std::vector<float> imatrix(static_cast<size_t>(nPerRow));
    for (auto &v : imatrix)
        v = uni(rng);

    volatile float sink = 0;
    const double floor = throughput(n, minSeconds, [&] {
        float s = 0;
        for (float v : x)
            s += v * v;
        sink = s;
    });
    std::printf("Quantization throughput, 1 thread, %lld x %lld gaussian floats (Melem/s; higher is better)\n",
                static_cast<long long>(rows), static_cast<long long>(nPerRow));
    std::printf("memory floor (one pass over the input): %.0f Melem/s\n\n", floor);
    std::printf("%-8s %12s %12s %8s   %12s %12s %8s\n", "format", "quantscope", "llama.cpp", "ratio", "+imatrix", "llama.cpp", "ratio");
    for (const Reference &ref : kLlamaCpp) {
        const TypeTraits &t = typeTraits(ref.type);
        std::vector<uint8_t> out(static_cast<size_t>(rows * rowBytes(t, nPerRow)));
        const double plain = throughput(n, minSeconds, [&] { t.quantize(x.data(), out.data(), rows, nPerRow, nullptr); });
        const double withImatrix = t.usesImatrix
                                       ? throughput(n, minSeconds, [&] { t.quantize(x.data(), out.data(), rows, nPerRow, imatrix.data()); })
                                       : 0.0;
        auto cell = [](double v) {
            static char buf[4][32];
            static int k = 0;
            char *b = buf[k++ % 4];
            if (v > 0)
                std::snprintf(b, 32, "%.1f", v);
            else
                std::snprintf(b, 32, "-");
            return b;
        };
        char r1[32] = "-", r2[32] = "-";
        if (ref.plain > 0)
            std::snprintf(r1, sizeof r1, "x%.2f", plain / ref.plain);
        if (ref.imatrix > 0 && withImatrix > 0)
            std::snprintf(r2, sizeof r2, "x%.2f", withImatrix / ref.imatrix);
        std::printf("%-8s %12s %12s %8s   %12s %12s %8s\n", std::string(t.name).c_str(), cell(plain), cell(ref.plain), r1,
                    cell(withImatrix), cell(ref.imatrix), r2);
    }
    (void)sink;
    return 0;
}
