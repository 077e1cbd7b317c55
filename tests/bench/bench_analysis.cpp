// Benchmark: the analysis engine. (1) Statistics and histograms alone (no candidate format), in GB/s of bf16 input
// on 1 and 2 threads, next to a plain read of the same bytes in the same run (the memory-bandwidth floor).
// (2) The full analysis of a model for 6 formats.
//   bench_analysis [MODEL] (default: ../shared/models/sotu-llama)
#include "analysis/analysis_engine.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::string path = argc > 1 ? argv[1] : QUANTSCOPE_SOURCE_DIR "/../shared/models/sotu-llama";
    auto model = qs::Model::open(path);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().describe().c_str());
        return 1;
    }
    uint64_t bytes = 0;
    for (const auto &t : (*model)->tensors())
        bytes += t.bytes;
    auto seconds = [](auto t0) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

    // the floor: touch every byte of every tensor once, as plainly as possible
    double floorSecs = 1e9;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        uint64_t sum = 0;
        for (const auto &s : (*model)->shards())
            for (const auto &t : s.tensors) {
                const auto b = s.tensorBytes(t);
                for (size_t i = 0; i < b.size(); i += 8)
                    sum += b[i];
            }
        floorSecs = std::min(floorSecs, seconds(t0));
        if (sum == 42)
            std::puts("");
    }
    std::printf("%s: %.1f MB of weights\n", path.c_str(), static_cast<double>(bytes) / 1e6);
    std::printf("plain read of every tensor byte:          %7.3f s  %6.2f GB/s\n", floorSecs, static_cast<double>(bytes) / floorSecs / 1e9);

    for (int threads : {1, 2}) {
        qs::AnalysisOptions opt; // no candidates: statistics and histograms only, every tensor
        opt.threads = threads;
        for (const auto &t : (*model)->tensors())
            opt.tensors.push_back(t.name);
        const auto t0 = std::chrono::steady_clock::now();
        auto r = qs::analyzeModel(**model, opt);
        const double s = seconds(t0);
        if (!r)
            return 1;
        std::printf("statistics + histograms, %d thread%s:     %7.3f s  %6.2f GB/s  (x%.1f the floor's time)\n", threads,
                    threads == 1 ? " " : "s", s, static_cast<double>(bytes) / s / 1e9, s / floorSecs);
    }
    qs::AnalysisOptions opt;
    opt.candidates = *qs::QuantFormat::parseList("q4_k,q6_k,q8_0,iq4_xs,q3_k,int4-g128-asym");
    opt.threads = 2;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = qs::analyzeModel(**model, opt);
    if (!r)
        return 1;
    const double s = seconds(t0);
    std::printf("full analysis, 6 formats + heatmaps, 2 threads: %.2f s for %zu tensors (%.1f Melem/s)\n", s, r->tensors.size(),
                static_cast<double>((*model)->parameterCount()) / s / 1e6);
    return 0;
}
