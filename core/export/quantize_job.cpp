#include "export/quantize_job.h"

#include "plan/resolve.h"

#include <algorithm>
#include <map>

namespace qs {

namespace {

// llama-quantize copies the input's keys minus split.*, then sets quantization_version and file_type, which
// moves them to the end.
void applyQuantizeMetadata(std::vector<GgufKeyValue> &kv, uint32_t fileType)
{
    std::erase_if(kv, [](const GgufKeyValue &e) {
        return e.key.rfind("split.", 0) == 0 || e.key == "general.quantization_version" || e.key == "general.file_type";
    });
    kv.push_back({"general.quantization_version", GgufValue::makeUInt32(2)});
    kv.push_back({"general.file_type", GgufValue::makeUInt32(fileType)});
}

// A plan without a preset still writes general.file_type: llama.cpp's "mostly X" for the type that holds the most
// weights (the first preset of that default type), or the 16/32-bit type when nothing is quantized.
uint32_t mostlyFileType(const std::vector<ExportTensor> &tensors, const std::vector<TensorDecision> &decisions)
{
    std::map<GgmlType, int64_t> elements;
    for (size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].ne.size() >= 2)
            elements[decisions[i].type] += tensors[i].rowLength() * tensors[i].rows();
    GgmlType mostly = GgmlType::BF16;
    int64_t most = -1;
    for (const auto &[type, n] : elements)
        if (n > most) {
            mostly = type;
            most = n;
        }
    for (const Preset &p : presets())
        if (p.defaultType == mostly)
            return p.fileType;
    return 32; // BF16
}

} // namespace

Result<GgufExportRequest> planQuantization(const Model &model, const QuantizeOptions &options, QuantizeResult *summary)
{
    const Preset *preset = options.plan.preset.empty() ? nullptr : findPreset(options.plan.preset);
    if (!options.plan.preset.empty() && !preset)
        return makeError("unknown preset '" + options.plan.preset + "'");
    if (options.plan.output == PlanOutput::HfCheckpoint && !options.plan.hasGroupQuant())
        return makeError("this plan's output is a Hugging Face checkpoint, not a GGUF file");
    if (options.plan.hasGroupQuant())
        return makeError("this plan holds GPTQ/AWQ choices, which are written as safetensors, not GGUF; Quantscope cannot "
                         "produce them yet (remove group_quant, group_overrides and the rules that name GPTQ/AWQ/RTN formats to export GGUF)");
    const bool conversion = preset && typeTraits(preset->defaultType).blockSize == 1;
    const bool fromHf = model.format() == ModelFormat::HuggingFace;

    GgufExportRequest req;
    auto tensors = exportTensorsFor(model, conversion ? preset->defaultType : GgmlType::BF16);
    if (!tensors)
        return tensors.error();
    req.tensors = std::move(*tensors);
    if (fromHf) {
        // the converter writes BF16 (file type 32); llama-quantize then rewrites the file type
        auto meta = hfToGgufMetadata(model, conversion ? preset->fileType : 32);
        if (!meta)
            return meta.error();
        req.metadata = std::move(*meta);
    } else {
        req.metadata = model.gguf()->metadata;
    }
    if (!conversion || !fromHf)
        sortForQuantize(req.tensors);

    ImportanceMatrix imatrix;
    if (!options.imatrixPath.empty()) {
        auto im = loadImportanceMatrix(options.imatrixPath);
        if (!im)
            return im.error();
        imatrix = std::move(*im);
    }
    std::vector<PlanTensor> planTensors;
    for (const auto &e : req.tensors)
        planTensors.push_back(planTensorOf(model, e));
    auto decisions = resolvePlan(options.plan, planTensors, model.architecture(), !imatrix.weights.empty());
    if (!decisions)
        return decisions.error();
    if (!conversion || !fromHf)
        applyQuantizeMetadata(req.metadata, preset ? preset->fileType : mostlyFileType(req.tensors, *decisions));

    QuantizeResult result;
    uint64_t quantBits = 0;
    int64_t quantElems = 0;
    for (size_t i = 0; i < req.tensors.size(); ++i) {
        ExportTensor &e = req.tensors[i];
        const TensorDecision &d = (*decisions)[i];
        e.type = d.type;
        QuantizedTensor q{e.name, d.type, d.reason, 0, false, d.group};
        if (d.quantized) {
            auto w = imatrix.weights.find(e.name);
            if (w == imatrix.weights.end()) // an importance matrix may name tensors the Hugging Face way
                w = imatrix.weights.find(planTensors[i].otherName);
            if (w != imatrix.weights.end()) {
                if (static_cast<int64_t>(w->second.size()) != e.rowLength())
                    return makeError("the importance matrix has " + std::to_string(w->second.size()) + " values for rows of " +
                                     std::to_string(e.rowLength()))
                        .inFile(options.imatrixPath)
                        .forTensor(e.name);
                if (typeTraits(d.type).usesImatrix) {
                    e.importance = w->second;
                    q.usedImatrix = true;
                }
            }
        }
        const TypeTraits &t = typeTraits(d.type);
        const int64_t rb = rowBytes(t, e.rowLength());
        if (rb < 0)
            return makeError("no " + std::string(t.name) + " blocks fit rows of " + std::to_string(e.rowLength())).forTensor(e.name);
        q.bytes = static_cast<uint64_t>(rb * e.rows());
        if (d.quantized) {
            quantBits += q.bytes * 8;
            quantElems += e.rowLength() * e.rows();
        }
        result.tensors.push_back(q);
    }
    if (!imatrix.weights.empty()) {
        // llama-quantize's record of the importance matrix
        const std::string label = options.imatrixPathLabel.empty() ? options.imatrixPath : options.imatrixPathLabel;
        req.metadata.push_back({"quantize.imatrix.file", GgufValue::makeString(label.substr(0, 127))});
        req.metadata.push_back({"quantize.imatrix.dataset", GgufValue::makeString(imatrix.dataset)});
        req.metadata.push_back({"quantize.imatrix.entries_count", GgufValue::makeUInt32(static_cast<uint32_t>(imatrix.weights.size()))});
        if (imatrix.chunks > 0)
            req.metadata.push_back({"quantize.imatrix.chunks_count", GgufValue::makeUInt32(static_cast<uint32_t>(imatrix.chunks))});
    }
    result.bitsPerWeight = quantElems ? static_cast<double>(quantBits) / static_cast<double>(quantElems) : 0.0;
    if (summary)
        *summary = std::move(result);
    return req;
}

Status checkRequantize(const Model &model, const GgufExportRequest &request)
{
    // As llama-quantize: a quantized tensor that keeps its type is copied as stored (writeGguf); one whose type
    // changes would be quantized again from its dequantized values.
    const ExportTensor *first = nullptr;
    size_t count = 0;
    for (const ExportTensor &e : request.tensors) {
        const TypeTraits *source = model.tensors()[e.source].ggml;
        if (source && source->blockSize > 1 && source->type != e.type) {
            first = first ? first : &e;
            ++count;
        }
    }
    if (!first)
        return okStatus();
    const std::string from(model.tensors()[first->source].ggml->name), to(typeTraits(first->type).name);
    return makeError(first->name + " is already quantized (" + from + ")" +
                     (count > 1 ? ", as are " + std::to_string(count - 1) + " more tensors" : std::string()) +
                     ": quantizing quantized weights again (" + from + " -> " + to + ") loses more quality than "
                     "quantizing the 16- or 32-bit original, as llama-quantize warns; quantize from the original "
                     "weights, or allow it (quantscope-cli quantize --allow-requantize)")
        .inFile(model.path());
}

Result<QuantizeResult> quantizeModel(const Model &model, const QuantizeOptions &options, const std::string &outputPath,
                                     JobControl *control)
{
    QuantizeResult result;
    auto req = planQuantization(model, options, &result);
    if (!req)
        return req.error();
    if (!options.allowRequantize)
        if (Status st = checkRequantize(model, *req); !st)
            return st.error();
    auto st = writeGguf(model, *req, outputPath, options.threads, control);
    if (!st)
        return st.error();
    for (const auto &t : result.tensors)
        result.fileBytes += t.bytes;
    return result;
}

} // namespace qs
