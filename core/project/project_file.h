// The Quantscope project file (HDF5): the model's path and fingerprint, the plan, and every statistic, histogram,
// error table and heatmap computed so far, in chunked datasets compressed with Zstandard (HDF5 filter 32015), with
// attributes for units and parameters and a format version. Reopening restores everything without recomputing; a
// changed model is detected; a damaged or foreign file gives a clear error. Saving is atomic.
#pragma once

#include "analysis/analysis_engine.h"
#include "common/result.h"
#include "engine/sensitivity.h"
#include "model/model.h"

#include <string>
#include <vector>

namespace qs {

inline constexpr const char *kProjectFormat = "quantscope.project";
inline constexpr int64_t kProjectVersion = 1;

// The sizes of the model's files and the sha256 of their headers (and of config.json): enough to notice any change
// to what a model is, without reading gigabytes of weights.
struct ModelFingerprint {
    struct File {
        std::string name;
        uint64_t size = 0;
        std::string headerSha256;
        bool operator==(const File &) const = default;
    };
    std::vector<File> files;
    bool operator==(const ModelFingerprint &) const = default;
    std::string toJson() const;
    static ModelFingerprint fromJson(const std::string &json);
};

ModelFingerprint fingerprintModel(const Model &model);

struct Project {
    std::string modelPath;
    ModelFingerprint fingerprint;
    std::string planJson;      // empty: no plan yet
    AnalysisResults analysis;
    SensitivityResults sensitivity; // measured sensitivity (optional group "sensitivity"; empty when not measured)
};

Status saveProject(const std::string &path, const Project &project);
Result<Project> loadProject(const std::string &path);
// Empty if `model` is the model the project was made from, else a message saying what changed.
std::string describeModelChange(const Project &project, const Model &model);

} // namespace qs
