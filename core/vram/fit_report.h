// A hardware-fit report: one model under one plan and runtime, checked against a set of devices. The same content
// as a terminal table, JSON (schema quantscope.fit/1), Markdown (for pull requests) and HTML with SVG charts
// (stacked memory per device, memory against context length with each device's limit).
#pragma once

#include "common/result.h"
#include "vram/hardware_fit.h"

#include <QJsonObject>

#include <optional>
#include <string>
#include <vector>

namespace qs {

class Model;

// What is being fitted: the architecture, the tensors (from the model or its config) and their bytes.
struct FitSubject {
    std::string label;              // "sotu-llama", "llama-3.1-8b.json"
    bool fromConfigOnly = false;
    Architecture arch;
    std::vector<PlanTensor> tensors;
    WeightBytes weights;
};

// A model's weights as its files store them (a GGUF file's own types, a checkpoint's dtype), split by layer.
WeightBytes modelWeightBytes(const Model &model);

// From a model folder, a .gguf file, a config.json, or a folder holding only config.json. `preset` empty: the
// weights as stored (a GGUF file's own types; a checkpoint's dtype). With a preset or plan, the plan's formats.
// The transformers runtime runs a checkpoint as stored; asking it for a GGUF plan is an error.
Result<FitSubject> fitSubject(const std::string &path, const Plan *plan, Runtime runtime);

struct ContextPoint {
    int64_t context = 0;
    uint64_t total = 0;
};

struct PlanChoice {
    std::string preset;
    uint64_t total = 0;
    bool fits = false;
};

struct FitReport {
    FitSubject subject;
    EstimateOptions options;
    std::vector<DeviceFit> fits;
    // total memory against context, for options.kvType (first device's runtime): powers of two from 512 to the
    // model's trained context (at most 128k), and always the requested context, even past those
    std::vector<ContextPoint> curve;
    std::string smallestFit;               // id of the device with the least memory that fits; empty if none
    std::string cheapestFit;               // id of the device with the lowest launch price that fits, among those priced
    std::vector<PlanChoice> plansForFirst; // for the first device: each preset's total at this context (llama.cpp only)
    std::string bestPlanForFirst;          // the highest-precision preset that fits the first device
    std::optional<SplitFit> split;         // the devices as one host, layers split across them
    // What the reader must know before trusting the figures, one sentence each (a context beyond the model's
    // trained context). Every report form prints them; the CLI also says them on stderr.
    std::vector<std::string> warnings;
};

// `layerSplit`: also fit the devices together as GPUs of one host (llama.cpp's layer split).
Result<FitReport> buildFitReport(const FitSubject &subject, const EstimateOptions &options,
                                 const std::vector<Device> &devices, bool layerSplit = false);

// The memory-against-context chart as the HTML and PDF reports draw it: a log2 context axis over the whole curve
// (so it reaches the requested context), labelled at powers of two; a memory axis from 0 up to a round top, with
// ticks 1, 2 or 5 × 10^n GiB apart (common/axis_ticks.h).
struct ContextChart {
    int64_t contextFrom = 0, contextTo = 0; // the curve's first and last context
    std::vector<int64_t> contextTicks;      // powers of two within, at most 9 (512 … 128k all labelled)
    std::vector<double> memoryTicks;        // bytes, from 0; the last is the top of the axis
    int memoryDecimals = 0;                 // what formatAxisGiB needs to write the step
    double memoryTop() const { return memoryTicks.empty() ? 0 : memoryTicks.back(); }
};
// Empty (no ticks) when the curve has fewer than two points.
ContextChart contextChart(const FitReport &r);
// An axis label: "0 GiB", "20 GiB", "2.5 GiB" (`decimals` digits after the point).
std::string formatAxisGiB(double bytes, int decimals);

// How every report form writes its figures: "12.34 GiB", "+1.20 GiB", "32k" tokens, "281" tok/s ("-" for none).
std::string formatGiB(uint64_t bytes);
std::string formatSignedGiB(int64_t bytes);
std::string formatTokens(int64_t n);
std::string formatRate(double tokensPerSecond);

// The recommendation in one sentence or three: the cheapest and smallest device that fits (or that only the split
// does, or none), and the best preset for the first device. Markdown, HTML and PDF print it as it is.
std::string fitRecommendation(const FitReport &r);

std::string fitReportText(const FitReport &r);
QJsonObject fitReportJson(const FitReport &r);
std::string fitReportMarkdown(const FitReport &r);
std::string fitReportHtml(const FitReport &r);

} // namespace qs
