#include "plan_totals.h"

#include "number_text.h"

#include <cmath>
#include <map>

namespace qs {

bool storedQuantized(const ModelTensor &tensor)
{
    const auto type = typeFromName(tensor.dtype);
    return type && typeTraits(*type).blockSize > 1;
}

PlanTotals PlanTotals::of(const Model &model, const std::vector<PlannedTensor> &planned, const AnalysisResults *analysis)
{
    std::map<std::string, bool> sourceQuantized; // by GGUF name
    for (const ModelTensor &t : model.tensors())
        sourceQuantized[ggufNameOf(model, t)] = storedQuantized(t);
    std::map<std::string, const TensorAnalysis *> measuredByName;
    if (analysis)
        for (const auto &a : analysis->tensors)
            measuredByName[a.ggufName] = &a;

    PlanTotals totals;
    uint64_t quantBytes = 0;
    int64_t quantElements = 0;
    double err = 0, ref = 0;
    for (const PlannedTensor &p : planned) {
        totals.bytes += p.bytes;
        const bool fromQuantized = sourceQuantized[p.ggufName];
        totals.alreadyQuantized += fromQuantized;
        if (!p.decision.quantized && !fromQuantized)
            continue; // kept in its float type
        quantBytes += p.bytes;
        quantElements += p.elements;
        if (!p.decision.quantized)
            continue;
        ++totals.quantized;
        // weighted error: every measured tensor's squared error over its squared weights; never against weights that
        // were already quantized, and GPTQ/AWQ are not round-to-nearest, so the analysis does not measure them
        const auto a = measuredByName.find(p.ggufName);
        if (fromQuantized || p.decision.group || a == measuredByName.end())
            continue;
        for (const auto &c : a->second->candidates)
            if (c.applicable && c.candidate.kind == Candidate::Kind::Gguf && c.candidate.type == p.decision.type) {
                err += c.errors.sumSqErr;
                ref += c.errors.sumSqW;
                ++totals.measured;
                break;
            }
    }
    if (quantElements > 0)
        totals.bitsPerWeight = 8.0 * static_cast<double>(quantBytes) / static_cast<double>(quantElements);
    if (totals.measured > 0 && ref > 0)
        totals.error = std::sqrt(err / ref);
    return totals;
}

QString PlanTotals::text(const QString &preset) const
{
    QString line = tr("Plan %1: %2, %3 bits per quantized weight").arg(preset, bytesText(bytes), fixedText(bitsPerWeight, 3));
    if (measured > 0)
        line += tr(", error %1 over the %2 of %3 quantized tensors measured")
                    .arg(percentText(error, 3), integerText(measured), integerText(quantized));
    else if (alreadyQuantized > 0)
        line += tr(", error n/a: the source is already quantized, so there are no original weights to compare with");
    else
        line += tr(" (analyse with the planned formats to see the error)");
    return line;
}

} // namespace qs
