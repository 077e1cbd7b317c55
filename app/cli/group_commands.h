// quantscope-cli quantize with GPTQ, AWQ or RTN into a checkpoint folder.
#pragma once

#include "calibration/calibration_set.h"
#include "model/model.h"
#include "pipeline/group_quantize.h"
#include "plan/plan.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace cli {

// Whether these quantize arguments ask for group formats (--method, or a plan file holding them): then
// runQuantizeGroup handles them instead of the GGUF path.
bool wantsGroupQuantize(const QStringList &args);
int runQuantizeGroup(const QStringList &args);

// The plan file --plan names, when it reads and parses (the command itself reports a plan that does not).
std::optional<qs::Plan> planNamedIn(const QStringList &args);

// The calibration options GPTQ, AWQ and compensated GGUF blocks share. --calib FILE: a UTF-8 text (random windows:
// --samples, --seqlen, --seed) or a windows file such as reference/calibration.json, whose offsets index the ids of
// --calib-text; without --calib, the built-in sample.
struct CalibrationOptions {
    QCommandLineOption calib{QStringLiteral("calib"),
                             QStringLiteral("Calibration: a UTF-8 text, or a windows file (.json) with --calib-text (default: the built-in sample)"),
                             QStringLiteral("FILE")};
    QCommandLineOption calibText{QStringLiteral("calib-text"), QStringLiteral("The text a windows file's offsets index"), QStringLiteral("FILE")};
    QCommandLineOption samples{QStringLiteral("samples"), QStringLiteral("Random windows (default 128)"), QStringLiteral("N"), QStringLiteral("128")};
    QCommandLineOption seqlen{QStringLiteral("seqlen"), QStringLiteral("Tokens per window (default 512)"), QStringLiteral("N"), QStringLiteral("512")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of the random windows (default 1)"), QStringLiteral("N"), QStringLiteral("1")};

    QCommandLineOption damp{QStringLiteral("damp"),
                            QStringLiteral("GPTQ damping, a fraction of the mean Hessian diagonal (default: the plan's, else 0.01)"),
                            QStringLiteral("F")};
    QCommandLineOption spill{QStringLiteral("spill"),
                             QStringLiteral("Keep the calibration activations in a file in this folder instead of memory (the space is reserved up front)"),
                             QStringLiteral("DIR")};

    void addTo(QCommandLineParser &p) const;
    // The windows, tokenized with the model's tokenizer.
    qs::Result<qs::CalibrationSet> read(const QCommandLineParser &p, const qs::Model &model) const;
    // --damp (else the plan's) into out->damp: 0, or the exit status (a wrong command line).
    int readDamp(const QCommandLineParser &p, double planDamp, qs::GroupQuantizeOptions *out) const;
    // --spill into out->spillDir: 0, or the exit status (not a folder).
    int readSpill(const QCommandLineParser &p, qs::GroupQuantizeOptions *out) const;
};

} // namespace cli
