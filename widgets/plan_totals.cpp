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

std::optional<double> PlanTotals::bitsPerQuantizedWeight() const
{
    if (quantizedElements <= 0)
        return std::nullopt;
    return 8.0 * static_cast<double>(quantizedBytes) / static_cast<double>(quantizedElements);
}

std::optional<double> PlanTotals::relativeError() const
{
    if (measured == 0 || sumSqW <= 0)
        return std::nullopt;
    return std::sqrt(sumSqErr / sumSqW);
}

PlanTotals PlanTotals::of(const Model &model, const std::vector<PlannedTensor> &planned, const AnalysisResults *analysis)
{
    std::map<std::string, bool> sourceQuantized; // by GGUF name
    for (const ModelTensor &t : model.tensors())
        sourceQuantized[ggufNameOf(model, t)] = storedQuantized(t);
    // the measured error of each tensor in its planned format, looked up once by name
    std::map<std::string, const TensorAnalysis *> analysed;
    if (analysis)
        for (const auto &a : analysis->tensors)
            analysed[a.ggufName] = &a;

    PlanTotals totals;
    for (const PlannedTensor &p : planned) {
        totals.bytes += p.bytes;
        const bool fromQuantized = sourceQuantized[p.ggufName];
        totals.alreadyQuantized += fromQuantized;
        if (!p.decision.quantized && !fromQuantized)
            continue; // kept in its float type
        totals.quantizedBytes += p.bytes;
        totals.quantizedElements += p.elements;
        if (!p.decision.quantized)
            continue;
        ++totals.quantized;
        // every measured tensor's squared error over its squared weights; never against weights already quantized
        const auto a = analysed.find(p.ggufName);
        if (fromQuantized || a == analysed.end())
            continue;
        const QuantFormat format = p.decision.format();
        for (const auto &c : a->second->candidates)
            if (c.applicable && c.candidate == format) {
                totals.sumSqErr += c.errors.sumSqErr;
                totals.sumSqW += c.errors.sumSqW;
                ++totals.measured;
                break;
            }
    }
    return totals;
}

QString PlanTotals::text(const QString &preset) const
{
    const auto bits = bitsPerQuantizedWeight();
    QString line = tr("Plan %1: %2, %3 bits per quantized weight")
                       .arg(preset, bytesText(bytes), bits ? fixedText(*bits, 3) : notAvailableText());
    if (const auto error = relativeError())
        line += tr(", error %1 over the %2 of %3 quantized tensors measured")
                    .arg(percentText(*error, 3), integerText(measured), integerText(quantized));
    else if (alreadyQuantized > 0)
        line += tr(", error n/a: the source is already quantized, so there are no original weights to compare with");
    else
        line += tr(" (analyse with the planned formats to see the error)");
    return line;
}

} // namespace qs
