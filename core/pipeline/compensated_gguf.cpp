#include "pipeline/compensated_gguf.h"

#include "model/gguf_layout.h"
#include "pipeline/awq_quantize.h"
#include "solvers/awq.h"

#include <chrono>
#include <cstring>

namespace qs {

namespace {

bool isBlockLinear(TensorRole r)
{
    switch (r) {
    case TensorRole::AttnQ: case TensorRole::AttnK: case TensorRole::AttnV: case TensorRole::AttnOutput:
    case TensorRole::FfnGate: case TensorRole::FfnUp: case TensorRole::FfnDown:
        return true;
    default:
        return false;
    }
}

} // namespace

std::vector<std::string> compensatedTensorNames(const Model &model, const Plan &plan, const GgufExportRequest &request)
{
    std::vector<std::string> names;
    for (const ExportTensor &e : request.tensors) {
        const ModelTensor &mt = model.tensors()[e.source];
        if (mt.layer < 0 || !isBlockLinear(mt.role) || !gptqGgufSupports(e.type) || e.solvedBlocks)
            continue;
        if (!plan.compensate || plan.compensates(e.name, mt.name))
            names.push_back(e.name);
    }
    return names;
}

std::vector<std::string> foldScalesInto(const Model &model, GgufExportRequest &request, const std::map<std::string, TensorScales> &folded)
{
    std::vector<std::string> names;
    for (ExportTensor &e : request.tensors) {
        const auto f = folded.find(model.tensors()[e.source].name);
        if (f == folded.end())
            continue;
        if (!e.importance.empty() && f->second.column.size() == e.importance.size())
            for (size_t c = 0; c < e.importance.size(); ++c)
                e.importance[c] /= f->second.column[c] * f->second.column[c];
        e.scales = std::make_shared<const TensorScales>(f->second);
        names.push_back(e.name);
    }
    return names;
}

namespace {

// AWQ's scales for the request's planned types, folded into it: the scaled tensors' `scales`, their importance
// weights divided by s^2. Returns the scales by model tensor name (for the GPTQ driver to run the same model).
Result<std::map<std::string, TensorScales>> foldScales(std::shared_ptr<const Model> model, GgufExportRequest &req, const CalibrationSet &calib,
                                                       const CalibratedGgufOptions &o, CompensatedQuantizeResult &result, JobControl *control)
{
    const auto start = std::chrono::steady_clock::now();
    AwqOptions ao;
    ao.grid = o.scaleGrid;
    ao.searchWindows = o.scaleWindows;
    ao.threads = o.calibration.threads;
    ao.spillDir = o.calibration.spillDir;
    for (const ExportTensor &e : req.tensors) {
        const ModelTensor &mt = model->tensors()[e.source];
        const TypeTraits &t = typeTraits(e.type);
        if (mt.layer >= 0 && isBlockLinear(mt.role) && !mt.isBias && t.quantize && t.toFloat && t.blockSize > 1)
            ao.gguf[mt.name] = {e.type, e.importance};
    }
    if (ao.gguf.empty())
        return makeError("the plan quantizes no block Linear weight to a GGUF block format: there is nothing to scale for");
    auto awq = awqQuantize(model, calib, ao, control);
    if (!awq)
        return awq.error();
    for (const AwqLayerChoice &c : awq->choices)
        for (int g : {c.qkv, c.vo, c.gateUp, c.down})
            if (g != AwqLayerChoice::kSkipped) {
                ++result.searchedGroups;
                result.scaledGroups += g != AwqScaleChoice::kIdentity;
            }
    result.scaled = foldScalesInto(*model, req, awq->folded);
    result.scaleSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(awq->folded);
}

} // namespace

Result<CompensatedQuantizeResult> quantizeCompensatedModel(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                           const CalibrationSet &calib, CalibratedGgufOptions calibrated,
                                                           const std::string &outputPath, JobControl *control)
{
    const auto start = std::chrono::steady_clock::now();
    if (model->format() != ModelFormat::HuggingFace)
        return makeError("calibrated GGUF blocks (scales, GPTQ compensation) are solved from a Hugging Face model folder (16- or 32-bit "
                         "weights), not a GGUF file")
            .inFile(model->path());
    if (!calibrated.compensate && !calibrated.scales)
        return makeError("neither scales nor compensation were asked for: this is plain quantization");
    CompensatedQuantizeResult result;
    auto req = planQuantization(*model, options, &result.summary);
    if (!req)
        return req.error();
    const std::vector<std::string> names =
        calibrated.compensate ? compensatedTensorNames(*model, options.plan, *req) : std::vector<std::string>{};
    if (calibrated.compensate && names.empty())
        return makeError("the plan compensates no tensor: only the Linear weights of the blocks in Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, "
                         "Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL or IQ4_XS can be");
    GroupQuantizeOptions &calibration = calibrated.calibration;
    calibration.compensate.clear();
    calibration.scales.clear();
    if (calibrated.scales) {
        auto folded = foldScales(model, *req, calib, calibrated, result, control);
        if (!folded)
            return folded.error();
        calibration.scales = std::move(*folded);
    }
    std::map<std::string, ExportTensor *> byName;
    for (ExportTensor &e : req->tensors)
        byName[e.name] = &e;
    for (const std::string &n : names)
        calibration.compensate[n] = {byName.at(n)->type, byName.at(n)->importance};
    calibration.ggufImportance.clear();
    for (const ExportTensor &e : req->tensors)
        if (!e.importance.empty())
            calibration.ggufImportance[e.name] = e.importance;
    if (!names.empty()) {
        auto solved = quantizeGroupPlan(model, options.plan, calib, calibration, control);
        if (!solved)
            return solved.error();
        for (const std::string &n : names) {
            ExportTensor &e = *byName.at(n);
            const ModelTensor &mt = model->tensors()[e.source];
            const auto it = solved->gguf.find(mt.name);
            if (it == solved->gguf.end())
                return makeError("the solver returned no blocks for this tensor").forTensor(n);
            const GgufGptqResult &r = it->second;
            const int64_t rb = rowBytes(typeTraits(e.type), e.rowLength()), rows = e.rows();
            if (r.type != e.type || r.rows != rows || r.cols != e.rowLength())
                return makeError("the solved blocks do not have the planned type and shape").forTensor(n);
            // the solver's rows are in the Hugging Face layout; the file's may be llama.cpp's Q/K permutation of them
            auto bytes = std::make_shared<std::vector<uint8_t>>(r.bytes.size());
            for (int64_t row = 0; row < rows; ++row) {
                const int64_t from = e.permuteHeads > 0 ? hfRowOfPermuted(row, rows, e.permuteHeads) : row;
                std::memcpy(bytes->data() + row * rb, r.bytes.data() + from * rb, static_cast<size_t>(rb));
            }
            e.solvedBlocks = std::move(bytes);
            e.scales = nullptr; // solved from the scaled weights already
            result.compensated.push_back({n, e.type, r.loss, r.plainLoss});
        }
    }
    result.solveSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string windows = std::to_string(calib.windows()) + " windows of " + std::to_string(calib.window) + " tokens";
    if (!result.scaled.empty()) {
        req->metadata.push_back({"quantscope.scaled.method", GgufValue::makeString("awq")});
        req->metadata.push_back({"quantscope.scaled.tensors", ggufStringArray(result.scaled)});
        req->metadata.push_back({"quantscope.scaled.calibration", GgufValue::makeString(windows)});
    }
    if (!names.empty()) {
        req->metadata.push_back({"quantscope.compensated.method", GgufValue::makeString("gptq")});
        req->metadata.push_back({"quantscope.compensated.tensors", ggufStringArray(names)});
        req->metadata.push_back({"quantscope.compensated.calibration", GgufValue::makeString(windows)});
        req->metadata.push_back({"quantscope.compensated.damp", GgufValue::makeFloat32(static_cast<float>(calibration.damp))});
    }
    if (!options.allowRequantize)
        if (Status st = checkRequantize(*model, *req); !st)
            return st.error();
    if (auto st = writeGguf(*model, *req, outputPath, options.threads, control); !st)
        return st.error();

    // read back: the written file holds exactly the solved blocks
    auto written = Model::open(outputPath);
    if (!written)
        return written.error();
    for (const std::string &n : names) {
        const ExportTensor &e = *byName.at(n);
        const auto idx = (*written)->findTensor(n);
        if (!idx || !(*written)->tensors()[*idx].ggml || (*written)->tensors()[*idx].ggml->type != e.type)
            return makeError("the written file does not hold this tensor in " + std::string(typeTraits(e.type).name)).forTensor(n).inFile(outputPath);
        std::vector<uint8_t> back(e.solvedBlocks->size());
        if (auto st = (*written)->readRawRows(*idx, 0, e.rows(), back.data()); !st)
            return Error(st.error()).inFile(outputPath);
        if (back != *e.solvedBlocks)
            return makeError("reads back different from the solved blocks").forTensor(n).inFile(outputPath);
    }
    for (const auto &t : result.summary.tensors)
        result.summary.fileBytes += t.bytes;
    return result;
}

} // namespace qs
