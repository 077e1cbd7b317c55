#include "pipeline/allocate_plan.h"

#include "model/tensor_names.h"
#include "optimize/allocation.h"
#include "plan/resolve.h"
#include "vram/fit_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace qs {

namespace {

std::string nameOf(GgmlType t) { return std::string(typeTraits(t).name); }

bool unquantizedType(GgmlType t) { return t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16; }

std::string lower(const std::string &text)
{
    std::string t;
    for (char c : text)
        if (c != ' ')
            t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
}

// An unknown device: the error names a few the database holds, those sharing the query's first word first
// ("rtx-9999" -> the RTX cards).
std::string unknownDevice(const std::string &query, const std::vector<Device> &devices, const std::string &why)
{
    const std::string q = lower(query);
    const std::string word = q.substr(0, q.find_first_of("-_ "));
    std::vector<std::string> near, others;
    for (const Device &d : devices)
        (!word.empty() && lower(d.id).rfind(word, 0) == 0 ? near : others).push_back(d.id);
    std::vector<std::string> shown(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(near.size(), 6)));
    for (size_t i = 0; shown.size() < 6 && i < others.size(); ++i)
        shown.push_back(others[i]);
    std::string list;
    for (const std::string &id : shown)
        list += (list.empty() ? "" : ", ") + id;
    return why + "; known devices include " + list + " (quantscope-cli fit --list-devices lists all " + std::to_string(devices.size()) + ")";
}

Result<Budget> parseDeviceBudget(const std::string &text, const std::vector<Device> &devices)
{
    const auto at = text.find('@');
    const std::string query = text.substr(0, at);
    std::string rest = text.substr(at + 1), runtimeText;
    if (const auto colon = rest.find(':'); colon != std::string::npos) {
        runtimeText = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
    }
    const std::string expected = "a device budget is DEVICE@CONTEXT[:RUNTIME], e.g. rtx-4090@8k or a100-80gb@32k:vllm";
    if (query.empty() || rest.empty())
        return makeError(expected + "; not '" + text + "'");
    auto device = findDevice(devices, query);
    if (!device) {
        if (device.error().message.rfind("no device matches", 0) == 0)
            return makeError(unknownDevice(query, devices, "no device matches '" + query + "'"));
        return device.error();
    }
    auto context = parseContextTokens(rest);
    if (!context)
        return makeError("'" + text + "': " + context.error().message);
    DeviceBudget d;
    d.device = *device;
    d.context = *context;
    if (!runtimeText.empty()) {
        auto r = parseRuntime(runtimeText);
        if (!r)
            return makeError("'" + text + "': " + r.error().message);
        if (*r == Runtime::Transformers)
            return makeError("'" + text + "': transformers runs Hugging Face checkpoints, not GGUF plans; a GGUF plan runs on llama.cpp or vllm");
        d.runtime = *r;
        d.runtimeGiven = true;
    }
    if (d.runtime == Runtime::Vllm && d.device.kind != "gpu")
        return makeError("'" + text + "': vLLM runs on GPUs with CUDA or ROCm, which " + d.device.name + " is not");
    d.kvType = isLlamaCpp(d.runtime) ? KvCacheType::F16 : KvCacheType::BF16;
    Budget b;
    b.kind = Budget::Kind::Device;
    b.device = std::move(d);
    return b;
}

// "4.5bpw" -> 4.5 and "bpw" (lowercased); nothing when the text does not start with a finite number
struct NumberAndUnit {
    double value = 0;
    std::string unit;
};
std::optional<NumberAndUnit> splitNumber(const std::string &text)
{
    const std::string t = lower(text);
    size_t end = 0;
    double v = 0;
    try {
        v = std::stod(t, &end);
    } catch (...) {
        return std::nullopt;
    }
    if (end == 0 || !std::isfinite(v))
        return std::nullopt;
    return NumberAndUnit{v, t.substr(end)};
}

} // namespace

Result<int64_t> parseContextTokens(const std::string &text)
{
    const auto n = splitNumber(text);
    const double scale = !n ? 0 : n->unit.empty() ? 1 : n->unit == "k" ? 1024 : n->unit == "m" ? 1048576 : 0;
    const std::string expected = "a context is a number of tokens, 1 to 16M: 8k (8192 tokens), 32768, 128k";
    // the units (none, k, m) hold no 'e': one in the text is an exponent, which a context does not take
    if (scale == 0 || lower(text).find('e') != std::string::npos)
        return makeError(expected + "; not '" + text + "'");
    const double tokens = n->value * scale;
    if (tokens < 1 || tokens > 16777216.0 || tokens != std::floor(tokens))
        return makeError("a context of '" + text + "' tokens is absurd; " + expected);
    return static_cast<int64_t>(tokens);
}

Result<std::vector<Device>> budgetDevices() { return loadHardware(); }

Result<Budget> Budget::parse(const std::string &text)
{
    if (text.find('@') != std::string::npos) {
        auto devices = loadHardware();
        if (!devices)
            return devices.error();
        return parseDeviceBudget(text, *devices);
    }
    return parse(text, {});
}

Result<Budget> Budget::parse(const std::string &text, const std::vector<Device> &devices)
{
    if (text.find('@') != std::string::npos)
        return parseDeviceBudget(text, devices);
    const auto n = splitNumber(text);
    const double v = n ? n->value : 0;
    const std::string unit = n ? n->unit : std::string();
    static const std::map<std::string, double> units = {{"", 1},       {"b", 1},         {"kb", 1e3},           {"mb", 1e6},
                                                        {"gb", 1e9},   {"kib", 1024.0},  {"mib", 1048576.0},    {"gib", 1073741824.0}};
    if (!n || v <= 0)
        return makeError("a budget is bits per weight (\"4.5bpw\"), a size (\"13MiB\", \"13.5MB\", \"46297824\") or a device at a context "
                         "(\"rtx-4090@8k\"); not '" + text + "'");
    if (unit == "bpw") {
        if (v > 32)
            return makeError("a budget of " + text + " is more than 32 bits per weight");
        return Budget{Kind::BitsPerWeight, v, std::nullopt};
    }
    const auto u = units.find(unit);
    if (u == units.end())
        return makeError("unknown budget unit '" + unit + "' in '" + text + "' (bpw, B, KB, MB, GB, KiB, MiB, GiB)");
    if (v * u->second > 0x1p62)
        return makeError("a budget of " + text + " is larger than any file Quantscope writes");
    return Budget{Kind::Bytes, v * u->second, std::nullopt};
}

std::string Budget::text() const
{
    char buf[64];
    if (kind == Kind::Device && device)
        return device->device.id + " at " + std::to_string(device->context) + " tokens with " + runtimeName(device->runtime);
    if (kind == Kind::BitsPerWeight)
        std::snprintf(buf, sizeof buf, "%.4g bpw", value);
    else
        std::snprintf(buf, sizeof buf, "%.0f bytes", value);
    return buf;
}

Result<uint64_t> planTensorBytes(const Model &model, const Plan &plan, bool hasImatrix)
{
    auto planned = resolveForModel(model, plan, hasImatrix);
    if (!planned)
        return planned.error();
    uint64_t bytes = 0;
    for (const PlannedTensor &pt : *planned)
        bytes += pt.bytes;
    return bytes;
}

std::vector<FusedGroup> fusedGroups(const std::vector<PlanTensor> &tensors, Runtime runtime)
{
    if (runtime != Runtime::Vllm)
        return {}; // llama.cpp loads every tensor as its own (see the header)
    std::map<std::pair<int, int>, FusedGroup> groups; // (layer, 0 = qkv_proj / 1 = gate_up_proj)
    for (const PlanTensor &t : tensors) {
        const TensorNameInfo info = describeGgufName(t.name);
        if (info.layer < 0 || info.isBias)
            continue;
        int which = -1;
        if (info.role == TensorRole::AttnQ || info.role == TensorRole::AttnK || info.role == TensorRole::AttnV)
            which = 0;
        else if (info.role == TensorRole::FfnGate || info.role == TensorRole::FfnUp)
            which = 1;
        if (which < 0)
            continue;
        FusedGroup &g = groups[{info.layer, which}];
        g.name = "blk." + std::to_string(info.layer) + (which == 0 ? " qkv_proj" : " gate_up_proj");
        g.tensors.push_back(t.name);
    }
    std::vector<FusedGroup> out;
    for (auto &[key, g] : groups)
        if (g.tensors.size() > 1)
            out.push_back(std::move(g));
    return out;
}

namespace {

double squaredError(const TensorAnalysis &ta, const CandidateResult &c)
{
    return ta.weighted ? c.errors.weightedSqErr : c.errors.sumSqErr;
}

const CandidateResult *analysedFormat(const TensorAnalysis *ta, GgmlType type)
{
    if (!ta)
        return nullptr;
    for (const CandidateResult &c : ta->candidates)
        if (c.applicable && c.candidate.kind == QuantFormat::Kind::Gguf && c.candidate.type == type)
            return &c;
    return nullptr;
}

} // namespace

AllocationCosts::AllocationCosts(const SensitivityResults &sens, const AnalysisResults *analysis) : m_sens(sens)
{
    for (size_t i = 0; i < sens.tensors.size(); ++i)
        m_measuredRow[sens.tensors[i]] = i;
    for (const QuantFormat &qf : sens.formats)
        if (qf.kind == QuantFormat::Kind::Gguf && std::find(m_formats.begin(), m_formats.end(), qf.type) == m_formats.end())
            m_formats.push_back(qf.type);
    if (analysis) {
        for (const TensorAnalysis &ta : analysis->tensors)
            m_analysed[ta.ggufName] = &ta;
        for (const QuantFormat &qf : analysis->candidates)
            if (qf.kind == QuantFormat::Kind::Gguf && std::find(m_formats.begin(), m_formats.end(), qf.type) == m_formats.end())
                m_formats.push_back(qf.type);
    }
    struct Mean {
        double sum = 0;
        int n = 0;
        void add(double v) { sum += v, ++n; }
    };
    std::map<std::string, Mean> perTensor, perRole;
    Mean all;
    for (size_t i = 0; i < sens.tensors.size(); ++i) {
        const auto a = m_analysed.find(sens.tensors[i]);
        if (a == m_analysed.end())
            continue;
        for (size_t f = 0; f < sens.formats.size(); ++f) {
            const float k = sens.kld[sens.index(i, f)];
            const CandidateResult *c = sens.formats[f].kind == QuantFormat::Kind::Gguf ? analysedFormat(a->second, sens.formats[f].type) : nullptr;
            // a KLD at or below 0 is noise around no damage: it says nothing about the ratio
            if (!c || !std::isfinite(k) || k <= 0 || !(squaredError(*a->second, *c) > 0))
                continue;
            const double r = std::log(static_cast<double>(k) / squaredError(*a->second, *c));
            perTensor[sens.tensors[i]].add(r);
            perRole[std::string(roleId(a->second->role))].add(r);
            all.add(r);
        }
    }
    for (const auto &[name, m] : perTensor)
        m_tensorLogFactor[name] = m.sum / m.n;
    for (const auto &[role, m] : perRole) {
        m_roleLogFactor[role] = m.sum / m.n;
        m_calibration.roleFactors.emplace_back(role, std::exp(m.sum / m.n));
    }
    if (all.n > 0) {
        m_globalLogFactor = all.sum / all.n;
        m_calibration.globalFactor = std::exp(*m_globalLogFactor);
    }
    m_calibration.measuredPairs = all.n;
    m_calibration.defaultFactor = all.n == 0;
}

bool AllocationCosts::covers(const std::string &name) const { return m_measuredRow.count(name) > 0 || m_analysed.count(name) > 0; }

double AllocationCosts::cost(const std::string &name, GgmlType type, bool *fromProxy) const
{
    if (fromProxy)
        *fromProxy = false;
    if (const auto m = m_measuredRow.find(name); m != m_measuredRow.end())
        for (size_t f = 0; f < m_sens.formats.size(); ++f)
            if (m_sens.formats[f].kind == QuantFormat::Kind::Gguf && m_sens.formats[f].type == type) {
                const float k = m_sens.kld[m_sens.index(m->second, f)];
                if (std::isfinite(k))
                    return std::max(0.0, static_cast<double>(k));
            }
    const auto a = m_analysed.find(name);
    const CandidateResult *c = a == m_analysed.end() ? nullptr : analysedFormat(a->second, type);
    if (!c)
        return std::numeric_limits<double>::quiet_NaN();
    double logFactor = std::log(kDefaultProxyFactor);
    if (const auto f = m_tensorLogFactor.find(name); f != m_tensorLogFactor.end())
        logFactor = f->second;
    else if (const auto r = m_roleLogFactor.find(std::string(roleId(a->second->role))); r != m_roleLogFactor.end())
        logFactor = r->second;
    else if (m_globalLogFactor)
        logFactor = *m_globalLogFactor;
    if (fromProxy)
        *fromProxy = true;
    return std::exp(logFactor) * std::max(0.0, squaredError(*a->second, *c));
}

namespace {

std::string gibText(uint64_t bytes) { return formatGiB(bytes); }

// What a device allows the runtime and what the estimate needs besides the weights; the estimate's figures other
// than the weights do not depend on them (KV cache, compute buffers and overhead follow the architecture and context).
struct DeviceFrame {
    EstimateOptions options;
    uint64_t limit = 0;
    uint64_t nonWeights = 0;   // KV cache + compute + overhead + allocator slack
    uint64_t hostBytes = 0;    // tensor bytes the runtime keeps in host memory (llama.cpp's token embedding on a GPU)
    MemoryEstimate base;
};

std::string estimateParts(const MemoryEstimate &m)
{
    std::string s = "weights " + gibText(m.weights) + " + KV cache " + gibText(m.kv.bytes) + " + compute buffers " + gibText(m.compute) +
                    " + runtime overhead " + gibText(m.overhead);
    if (m.allocatorSlack > 0)
        s += " + allocator slack " + gibText(m.allocatorSlack);
    return s;
}

} // namespace

Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sens, const Budget &budget,
                                   const std::vector<std::string> &pinned, bool hasImatrix)
{
    AllocateOptions o;
    o.pinned = pinned;
    o.hasImatrix = hasImatrix;
    return allocatePlan(model, base, sens, budget, o);
}

Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sens, const Budget &budget,
                                   const AllocateOptions &options)
{
    const AnalysisResults *analysis = options.analysis && !options.analysis->tensors.empty() ? options.analysis : nullptr;
    const bool hasImatrix = options.hasImatrix;
    if (sens.empty() && !analysis)
        return makeError("no measured sensitivity and no analysis to stand in for it: measure it (quantscope-cli sensitivity MODEL --project P "
                         "--formats ...) or analyse the weights (quantscope-cli analyze MODEL --project P --formats ...)");
    if (base.hasGroupQuant() || base.output != PlanOutput::Gguf)
        return makeError("allocation chooses GGUF formats: start from a GGUF plan or preset, not a GPTQ/AWQ one");
    if (options.runtime == Runtime::Transformers)
        return makeError("transformers runs Hugging Face checkpoints, not GGUF plans: allocate for llama.cpp or vllm");
    if (budget.kind == Budget::Kind::Device && !budget.device)
        return makeError("a device budget without a device");
    if (budget.kind == Budget::Kind::Device && isLlamaCpp(budget.device->runtime) != isLlamaCpp(options.runtime))
        return makeError(std::string("the budget's runtime (") + runtimeName(budget.device->runtime) + ") is not the plan's (" +
                         runtimeName(options.runtime) + ")");
    auto tensors = planTensorsFor(model);
    if (!tensors)
        return tensors.error();
    auto planned = resolveForModel(model, base, hasImatrix);
    if (!planned)
        return planned.error();
    const AllocationCosts table(sens, analysis);
    std::map<std::string, std::string> pins; // GGUF name -> type
    for (const std::string &p : options.pinned) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == p.size())
            return makeError("a pin is NAME=TYPE (\"blk.0.attn_v.weight=Q8_0\"), not '" + p + "'");
        const std::string name = p.substr(0, eq), type = p.substr(eq + 1);
        if (!typeFromName(type))
            return makeError("pin " + p + ": " + type + " is not a GGUF type");
        bool found = false;
        for (const PlanTensor &t : *tensors)
            if (t.name == name || t.otherName == name) {
                if (!allowsQuantization(t.name, t.ne))
                    return makeError("pin " + p + ": " + name + " is never quantized (norms, biases and 1-D tensors keep their type)");
                pins[t.name] = nameOf(*typeFromName(type));
                found = true;
            }
        if (!found)
            return makeError("pin " + p + ": the model has no tensor " + name);
    }

    AllocatedPlan out;
    // a device: what it allows, and what the runtime needs there besides the weights
    std::optional<DeviceFrame> frame;
    const Architecture &arch = model.architecture();
    if (budget.kind == Budget::Kind::Device) {
        const DeviceBudget &d = *budget.device;
        DeviceFrame f;
        EstimateOptions eo;
        eo.runtime = d.runtime;
        eo.context = d.context;
        eo.kvType = d.kvType;
        f.options = optionsOnDevice(eo, d.device);
        const WeightBytes w = plannedWeightBytes(*planned, arch, base.preset + " plan");
        auto m = estimateMemory(arch, w, f.options);
        if (!m)
            return makeError(budget.text() + ": " + m.error().message);
        f.base = *m;
        f.limit = f.options.runtime == Runtime::Vllm
                      ? static_cast<uint64_t>(static_cast<double>(d.device.usableBytes()) * std::clamp(f.options.gpuMemoryUtilization, 0.0, 1.0))
                      : d.device.usableBytes();
        f.nonWeights = m->total() - m->weights;
        f.hostBytes = w.total > m->weights ? w.total - m->weights : 0;
        if (f.nonWeights >= f.limit)
            return makeError(budget.text() + ": " + d.device.name + " is too small for any plan: without a single weight the runtime needs " +
                             gibText(f.nonWeights) + " (KV cache " + gibText(m->kv.bytes) + ", compute buffers " + gibText(m->compute) +
                             ", overhead " + gibText(m->overhead + m->allocatorSlack) + "), " + gibText(f.nonWeights - f.limit) +
                             " more than the " + gibText(f.limit) + " it may use; try a shorter context");
        if (arch.contextLength > 0 && d.context > arch.contextLength)
            out.notes.push_back("the context of " + std::to_string(d.context) + " tokens is beyond the model's trained context of " +
                                std::to_string(arch.contextLength) + ": the memory is estimated, but the model's output past it is unreliable");
        frame = f;
    }

    AllocationProblem prob;
    std::vector<std::string> names;
    std::vector<GgmlType> fixedType(tensors->size()); // what each tensor not allocated keeps
    std::vector<bool> inProblem(tensors->size(), false);
    for (size_t i = 0; i < tensors->size(); ++i) {
        const PlanTensor &t = (*tensors)[i];
        const PlannedTensor &pt = (*planned)[i];
        out.elements += pt.elements;
        fixedType[i] = pt.decision.type;
        // on a GPU llama.cpp looks the token embedding up in host memory: not the device's to budget, kept as the base has it
        const bool hostResident = frame && frame->hostBytes > 0 && describeGgufName(t.name).role == TensorRole::TokenEmbedding;
        if (!table.covers(t.name) || t.ne.size() != 2 || hostResident) {
            out.fixedBytes += pt.bytes;
            continue;
        }
        AllocationTensor at;
        at.name = t.name;
        int proxies = 0, measurements = 0;
        auto add = [&](GgmlType type, double cost) {
            TensorDecision d;
            d.type = type;
            d.quantized = type != t.sourceType;
            auto bytes = decidedBytes(t.name, t.ne, d);
            if (!bytes)
                return false; // its rows do not split into this format's blocks
            at.candidates.push_back({nameOf(type), *bytes, cost, unquantizedType(type) ? "unquantized" : "quantized"});
            return true;
        };
        add(t.sourceType, 0.0);
        for (GgmlType type : table.formats()) {
            if (type == t.sourceType)
                continue;
            bool fromProxy = false;
            const double cost = table.cost(t.name, type, &fromProxy);
            if (std::isfinite(cost) && add(type, cost))
                ++(fromProxy ? proxies : measurements);
        }
        if (auto p = pins.find(t.name); p != pins.end()) {
            at.pinned = p->second;
            // a pinned type that was neither measured nor analysed is still this tensor's type: its damage is not known
            // (counted as 0)
            const bool listed = std::any_of(at.candidates.begin(), at.candidates.end(), [&](const AllocationCandidate &c) { return c.format == p->second; });
            if (!listed && !add(*typeFromName(p->second), 0.0))
                return makeError("pin " + t.name + "=" + p->second + ": its rows do not split into " + p->second + " blocks");
        }
        out.proxy.proxyCosts += proxies;
        out.proxy.measuredCosts += measurements;
        inProblem[i] = true;
        prob.tensors.push_back(std::move(at));
        names.push_back(t.name);
    }
    // pinned tensors that are not allocated are fixed in their pinned type
    for (const auto &[name, type] : pins) {
        for (size_t i = 0; i < tensors->size(); ++i)
            if ((*tensors)[i].name == name && !inProblem[i]) {
                TensorDecision d;
                d.type = *typeFromName(type);
                d.quantized = d.type != (*tensors)[i].sourceType;
                auto bytes = decidedBytes(name, (*tensors)[i].ne, d);
                if (!bytes)
                    return Error(bytes.error());
                out.fixedBytes += *bytes;
                out.fixedBytes -= (*planned)[i].bytes;
                out.plan.overrides[name] = d.type;
                fixedType[i] = d.type;
            }
    }
    // the runtime's fused layers: allocated members agree on the kind of format among themselves (a kind group) and with
    // any member the allocation does not choose for
    int groupId = 0;
    for (const FusedGroup &g : fusedGroups(*tensors, options.runtime)) {
        std::vector<size_t> allocatedMembers;
        std::set<bool> fixedKinds; // true: unquantized
        for (const std::string &member : g.tensors) {
            for (size_t i = 0; i < tensors->size(); ++i)
                if ((*tensors)[i].name == member) {
                    if (inProblem[i]) {
                        allocatedMembers.push_back(static_cast<size_t>(std::find(names.begin(), names.end(), member) - names.begin()));
                    } else {
                        fixedKinds.insert(unquantizedType(fixedType[i]));
                    }
                }
        }
        if (allocatedMembers.empty())
            continue;
        if (fixedKinds.size() > 1)
            return makeError(g.name + ": vLLM needs its shards all quantized or all unquantized, but the tensors the allocation keeps "
                             "as they are mix the two");
        ++out.fusedGroups;
        for (size_t k : allocatedMembers) {
            AllocationTensor &at = prob.tensors[k];
            if (!fixedKinds.empty()) {
                const std::string kind = *fixedKinds.begin() ? "unquantized" : "quantized";
                for (AllocationCandidate &c : at.candidates)
                    if (c.kind != kind)
                        c.cost = std::numeric_limits<double>::quiet_NaN(); // not an option
            }
            at.kindGroup = groupId;
        }
        ++groupId;
    }
    if (frame)
        out.budgetBytes = frame->limit - frame->nonWeights + frame->hostBytes;
    else
        out.budgetBytes = budget.kind == Budget::Kind::Bytes ? static_cast<uint64_t>(budget.value)
                                                             : static_cast<uint64_t>(budget.value * static_cast<double>(out.elements) / 8.0);
    // a device too small for the smallest plan: say by how much, in the device's terms
    auto deviceTooSmall = [&](uint64_t smallestTensorBytes) {
        const DeviceFrame &f = *frame;
        const uint64_t onDevice = smallestTensorBytes - std::min(smallestTensorBytes, f.hostBytes) + f.nonWeights;
        MemoryEstimate m = f.base;
        m.weights = smallestTensorBytes - std::min(smallestTensorBytes, f.hostBytes);
        return makeError(budget.text() + ": " + budget.device->device.name + " is too small even for the smallest plan, which needs " +
                         gibText(onDevice) + " (" + estimateParts(m) + "), " + gibText(onDevice - f.limit) + " more than the " +
                         gibText(f.limit) + " the device allows");
    };
    if (out.fixedBytes >= out.budgetBytes) {
        if (frame)
            return deviceTooSmall(out.fixedBytes + [&] {
                uint64_t least = 0;
                for (const AllocationTensor &t : prob.tensors) {
                    uint64_t b = UINT64_MAX;
                    for (const AllocationCandidate &c : t.candidates)
                        b = std::min(b, c.bytes);
                    least += b;
                }
                return least;
            }());
        return makeError("the budget (" + std::to_string(out.budgetBytes) + " bytes) does not even cover the tensors it cannot choose for (" +
                         std::to_string(out.fixedBytes) + " bytes)");
    }
    prob.budget = out.budgetBytes - out.fixedBytes;
    auto a = allocate(prob);
    if (!a && frame) {
        AllocationProblem unbounded = prob;
        unbounded.budget = UINT64_MAX / 4;
        if (auto least = allocate(unbounded); least && out.fixedBytes + least->minimumBytes > out.budgetBytes)
            return deviceTooSmall(out.fixedBytes + least->minimumBytes);
    }
    if (!a)
        return makeError("allocation to " + budget.text() + ": " + a.error().message);
    Plan plan = base;
    for (const auto &[name, type] : out.plan.overrides)
        plan.overrides[name] = type;
    for (size_t i = 0; i < prob.tensors.size(); ++i) {
        const AllocationCandidate &c = prob.tensors[i].candidates[static_cast<size_t>(a->choice[i])];
        plan.overrides[names[i]] = *typeFromName(c.format);
        out.predictedKld += c.cost;
    }
    out.allocated = static_cast<int>(prob.tensors.size());
    out.plan = std::move(plan);
    // what the plan really takes, resolved as it will be exported
    auto final = resolveForModel(model, out.plan, hasImatrix);
    if (!final)
        return final.error();
    out.bytes = 0;
    for (const PlannedTensor &pt : *final)
        out.bytes += pt.bytes;
    if (out.bytes > out.budgetBytes)
        return makeError("the plan takes " + std::to_string(out.bytes) + " bytes, more than the budget of " + std::to_string(out.budgetBytes) +
                         " (a pin or rule the allocation cannot see changes the size)");
    out.proxy.roleFactors = table.calibration().roleFactors;
    out.proxy.measuredPairs = table.calibration().measuredPairs;
    out.proxy.defaultFactor = table.calibration().defaultFactor;
    out.proxy.globalFactor = table.calibration().globalFactor;
    if (out.proxy.proxyCosts > 0) {
        char factor[32];
        std::snprintf(factor, sizeof factor, "%.3g", kDefaultProxyFactor);
        if (out.proxy.measuredCosts == 0 && out.proxy.measuredPairs == 0)
            out.notes.push_back("no measured sensitivity: the plan rests on a proxy, the analysis' squared weight error times a default factor "
                                "of " + std::string(factor) + " (quantscope-cli sensitivity measures the real KLDs)");
        else
            out.notes.push_back("the plan rests partly on a proxy: " + std::to_string(out.proxy.proxyCosts) + " of " +
                                std::to_string(out.proxy.proxyCosts + out.proxy.measuredCosts) +
                                " tensor-format costs are the analysis' squared weight error times a factor fitted on " +
                                std::to_string(out.proxy.measuredPairs) + " measured KLDs (per tensor, else per role)");
    }
    if (out.fusedGroups > 0)
        out.notes.push_back(std::to_string(out.fusedGroups) + " fused layers (q/k/v, gate/up) are all quantized or all not, as " +
                            std::string(runtimeName(options.runtime)) + " loads them");
    if (frame) {
        const WeightBytes w = plannedWeightBytes(*final, arch, "allocated plan");
        auto m = estimateMemory(arch, w, frame->options);
        if (!m)
            return m.error();
        if (m->total() > frame->limit)
            return makeError(budget.text() + ": the plan's estimate of " + gibText(m->total()) + " exceeds the " + gibText(frame->limit) +
                             " the device allows (an estimate that depends on the weights in a way the budget did not foresee)");
        out.memory = *m;
        out.deviceLimit = frame->limit;
        const DeviceBudget &d = *budget.device;
        std::string line = "estimated for " + d.device.name + " (" + d.device.id + ", " + gibText(frame->limit) +
                           (frame->options.runtime == Runtime::Vllm ? " claimed by vLLM" : " usable") + ") at " + std::to_string(d.context) +
                           " tokens with " + runtimeName(frame->options.runtime) + ", KV cache " + kvCacheTypeName(frame->options.kvType) +
                           ": " + estimateParts(*m) + " = " + gibText(m->total()) + ", headroom " + gibText(frame->limit - m->total());
        if (frame->hostBytes > 0)
            line += "; the token embedding (" + gibText(frame->hostBytes) + ") stays in host memory and keeps the base plan's type";
        out.notes.push_back(line);
        out.notes.push_back("estimate basis: " + m->basis);
        if (frame->options.runtime == Runtime::Vllm)
            out.notes.push_back("vLLM pads the shards of a fused layer to the widest row in bytes; mixed types there take a little more "
                                "memory than counted");
    }
    return out;
}

} // namespace qs
