#include "vram/fit_report.h"

#include "plan/resolve.h"
#include "io/small_file.h"
#include "model/model.h"
#include "model/model_report.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace qs {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string gib(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / kGiB);
    return buf;
}

std::string signedGib(int64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f GiB", static_cast<double>(bytes) / kGiB);
    return buf;
}

std::string tokens(int64_t n)
{
    if (n <= 0)
        return "-";
    if (n % 1024 == 0)
        return std::to_string(n / 1024) + "k";
    return std::to_string(n);
}

std::string rate(double v)
{
    char buf[32];
    if (v <= 0)
        return "-";
    std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.1f", v);
    return buf;
}


// "$329" for a device of the report
std::string priceOf(const FitReport &r, const std::string &id)
{
    for (const DeviceFit &f : r.fits)
        if (f.device.id == id && f.device.priceUsd > 0)
            return "$" + std::to_string(static_cast<long long>(std::llround(f.device.priceUsd)));
    return "?";
}

std::string htmlEscape(const std::string &s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '&': o += "&amp;"; break;
        case '"': o += "&quot;"; break;
        default: o += c;
        }
    }
    return o;
}


bool isConfigOnlyFolder(const QString &dir)
{
    QDir d(dir);
    return d.exists(QStringLiteral("config.json")) &&
           d.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty();
}

std::string kvKey(KvCacheType t) { return kvCacheTypeName(t); }

} // namespace

WeightBytes modelWeightBytes(const Model &model)
{
    WeightBytes w;
    w.perLayer.assign(static_cast<size_t>(std::max<int64_t>(model.architecture().layers, 0)), 0);
    for (const ModelTensor &t : model.tensors()) {
        w.total += t.bytes;
        if (t.ggml && model.format() == ModelFormat::Gguf &&
            llamaCppCpuRepacks(t.name, t.ggml->type, std::vector<int64_t>(t.shape.rbegin(), t.shape.rend())))
            w.cpuRepacked += t.bytes;
        w.parameters += t.elements;
        if (t.layer >= 0 && t.layer < static_cast<int>(w.perLayer.size()))
            w.perLayer[static_cast<size_t>(t.layer)] += t.bytes;
        else if (t.role == TensorRole::TokenEmbedding)
            w.tokenEmbedding += t.bytes;
        else
            w.output += t.bytes;
    }
    w.description = model.predominantDtype() + " as stored";
    return w;
}

std::string formatGiB(uint64_t bytes) { return gib(bytes); }
std::string formatSignedGiB(int64_t bytes) { return signedGib(bytes); }
std::string formatTokens(int64_t n) { return tokens(n); }
std::string formatRate(double tokensPerSecond) { return rate(tokensPerSecond); }

Result<FitSubject> fitSubject(const std::string &path, const Plan *plan, Runtime runtime)
{
    FitSubject s;
    const QFileInfo info(QString::fromStdString(path));
    if (!info.exists())
        return makeError(path + ": no such file or folder");
    std::shared_ptr<const Model> model;
    std::string configPath;
    if (info.isFile() && info.suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0)
        configPath = path;
    else if (info.isDir() && isConfigOnlyFolder(info.filePath()))
        configPath = info.filePath().toStdString() + "/config.json";
    if (!configPath.empty()) {
        auto bytes = readSmallFile(configPath, 16 << 20);
        if (!bytes)
            return bytes.error();
        auto arch = parseHfConfig(*bytes, configPath);
        if (!arch)
            return arch.error();
        if (arch->layers <= 0 || arch->hiddenSize <= 0 || arch->heads <= 0 || arch->kvHeads <= 0 || arch->vocabSize <= 0 ||
            arch->intermediateSize <= 0)
            return makeError(configPath + ": the config lacks layer, hidden, head, vocabulary or feed-forward sizes");
        s.arch = *arch;
        s.fromConfigOnly = true;
        s.tensors = tensorsFromArchitecture(s.arch);
        s.label = QFileInfo(QString::fromStdString(configPath)).dir().dirName().toStdString() + "/" +
                  QFileInfo(QString::fromStdString(configPath)).fileName().toStdString();
    } else {
        auto opened = Model::open(path);
        if (!opened)
            return opened.error();
        model = *opened;
        s.arch = model->architecture();
        auto tensors = planTensorsFor(*model);
        if (!tensors)
            return tensors.error();
        s.tensors = std::move(*tensors);
        s.label = info.fileName().toStdString();
        if (!isLlamaCpp(runtime) && model->format() == ModelFormat::Gguf)
            return makeError(std::string(runtimeName(runtime)) + " is estimated for Hugging Face checkpoints, not GGUF files; use --runtime llama.cpp");
    }
    if (plan) {
        if (plan->hasGroupQuant() && isLlamaCpp(runtime))
            return makeError("a GPTQ/AWQ plan runs on transformers or vLLM, not llama.cpp; use --runtime transformers or vllm");
        if (!plan->hasGroupQuant() && !isLlamaCpp(runtime))
            return makeError("a GGUF preset or plan runs on llama.cpp; " + std::string(runtimeName(runtime)) +
                             " runs the checkpoint as stored or a GPTQ/AWQ plan");
        auto w = planWeightBytes(s.tensors, s.arch, *plan, false);
        if (!w)
            return w.error();
        s.weights = std::move(*w);
    } else if (model) {
        s.weights = modelWeightBytes(*model);
    } else if (!isLlamaCpp(runtime)) {
        const bool f32 = s.arch.dtype == "float32";
        s.weights = storedWeightBytes(s.tensors, f32 ? 4.0 : 2.0, f32 ? "F32 as stored" : "BF16 as stored");
    } else {
        Plan bf16;
        bf16.preset = "BF16";
        auto w = planWeightBytes(s.tensors, s.arch, bf16, false);
        if (!w)
            return w.error();
        s.weights = std::move(*w);
        s.weights.description = "BF16 GGUF";
    }
    return s;
}

Result<FitReport> buildFitReport(const FitSubject &subject, const EstimateOptions &options, const std::vector<Device> &devices,
                                 bool layerSplit)
{
    if (devices.empty())
        return makeError("no devices to fit on");
    FitReport r;
    r.subject = subject;
    r.options = options;
    for (const Device &d : devices) {
        auto fit = fitOnDevice(subject.arch, subject.weights, options, d);
        if (!fit)
            return makeError(d.name + ": " + fit.error().message);
        r.fits.push_back(std::move(*fit));
    }
    if (layerSplit) {
        auto split = fitLayerSplit(subject.arch, subject.weights, options, devices);
        if (!split)
            return split.error();
        r.split = std::move(*split);
    }
    double smallest = 0, cheapest = 0;
    for (const DeviceFit &f : r.fits) {
        if (f.fits && f.device.priceUsd > 0 && (r.cheapestFit.empty() || f.device.priceUsd < cheapest)) {
            cheapest = f.device.priceUsd;
            r.cheapestFit = f.device.id;
        }
        const double usable = static_cast<double>(f.limit);
        if (f.fits && (r.smallestFit.empty() || usable < smallest)) {
            smallest = usable;
            r.smallestFit = f.device.id;
        }
    }
    EstimateOptions curveOptions = optionsOnDevice(options, r.fits.front().device);
    const int64_t ceiling = subject.arch.contextLength > 0 ? std::min<int64_t>(subject.arch.contextLength, 131072) : 131072;
    for (int64_t ctx = 512; ctx <= ceiling; ctx *= 2) {
        curveOptions.context = ctx;
        auto m = estimateMemory(subject.arch, subject.weights, curveOptions);
        if (m)
            r.curve.push_back({ctx, m->total()});
    }
    if (isLlamaCpp(curveOptions.runtime)) {
        for (const char *name : {"Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"}) {
            Plan plan;
            plan.preset = name;
            auto w = planWeightBytes(subject.tensors, subject.arch, plan, false);
            if (!w)
                continue;
            auto fit = fitOnDevice(subject.arch, *w, options, r.fits.front().device);
            if (!fit)
                continue;
            r.plansForFirst.push_back({name, fit->memory.total(), fit->fits});
            if (fit->fits && r.bestPlanForFirst.empty())
                r.bestPlanForFirst = name;
        }
    }
    return r;
}

std::string fitRecommendation(const FitReport &r)
{
    std::string out;
    if (!r.cheapestFit.empty())
        out += "Cheapest device that fits: " + r.cheapestFit + " (" + priceOf(r, r.cheapestFit) + " at launch). ";
    if (!r.smallestFit.empty())
        out += "Smallest device that fits: " + r.smallestFit + ".";
    else if (r.split && r.split->fits)
        out += "No single device fits; the " + std::to_string(r.split->shares.size()) + " devices together do (layer split).";
    else
        out += "No listed device fits; see the layers each device can hold.";
    if (!r.plansForFirst.empty())
        out += r.bestPlanForFirst.empty() ? " No preset fits " + r.fits.front().device.name + "."
                                          : " Best preset for " + r.fits.front().device.name + ": " + r.bestPlanForFirst + ".";
    return out;
}

std::string fitReportText(const FitReport &r)
{
    std::ostringstream out;
    const Architecture &a = r.subject.arch;
    out << r.subject.label << (r.subject.fromConfigOnly ? " (from config.json)" : "") << ": " << a.name << ", "
        << a.layers << " layers, " << a.heads << "/" << a.kvHeads << " heads of " << a.headDim << "\n";
    out << "weights: " << r.subject.weights.description << ", " << gib(r.subject.weights.total) << " ("
        << r.subject.weights.parameters << " parameters)\n";
    out << "runtime " << runtimeName(r.options.runtime) << ", context " << r.options.context << ", KV cache "
        << kvCacheTypeName(r.options.kvType) << ", batch " << r.options.batch << "\n\n";
    for (const DeviceFit &f : r.fits) {
        const MemoryEstimate &m = f.memory;
        out << f.device.name << " (" << f.device.id << ", " << gib(f.device.usableBytes()) << " usable"
            << (f.limit != f.device.usableBytes() ? ", " + gib(f.limit) + " claimed by the runtime" : std::string()) << ", "
            << runtimeName(m.runtime) << "): " << (f.fits ? "fits" : "does not fit") << ", headroom "
            << signedGib(f.headroom) << "\n";
        out << "  weights " << gib(m.weights);
        if (m.hostWeights)
            out << " (+" << gib(m.hostWeights) << " in host memory)";
        out << ", KV " << gib(m.kv.bytes) << " (" << m.kv.cells << " cells), compute " << gib(m.compute)
            << ", overhead " << gib(m.overhead + m.allocatorSlack) << " = " << gib(m.total()) << "\n";
        out << "  longest context:";
        for (const ContextLimit &c : f.contexts)
            out << " " << kvKey(c.kvType) << " " << tokens(c.maxContext);
        out << "\n  layers on device " << f.layersOnDevice << "/" << a.layers << ", decode ~" << rate(f.speed.decodeTokensPerSecond)
            << " tok/s, prefill ~" << rate(f.speed.prefillTokensPerSecond) << " tok/s\n";
        out << "  basis: " << m.basis << (m.validated ? "" : " [unvalidated]") << "\n";
    }
    if (r.split) {
        out << "\nlayer split over " << r.split->shares.size() << " devices: " << (r.split->fits ? "fits" : "does not fit")
            << (r.split->hostWeights ? " (+" + gib(r.split->hostWeights) + " in host memory)" : std::string())
            << ", decode ~" << rate(r.split->speed.decodeTokensPerSecond) << " tok/s, prefill ~"
            << rate(r.split->speed.prefillTokensPerSecond) << " tok/s\n";
        for (const SplitShare &s : r.split->shares)
            out << "  " << s.device.id << ": layers " << s.firstLayer << "-" << s.firstLayer + s.layers - 1 << ", weights "
                << gib(s.weights) << ", KV " << gib(s.kv) << ", compute " << gib(s.compute) << ", overhead "
                << gib(s.overhead) << " = " << gib(s.total()) << " of " << gib(s.device.usableBytes()) << ", headroom "
                << signedGib(s.headroom()) << "\n";
    }
    out << "\n";
    if (!r.cheapestFit.empty())
        out << "cheapest device that fits: " << r.cheapestFit << " (" << priceOf(r, r.cheapestFit) << " at launch)\n";
    if (!r.smallestFit.empty())
        out << "smallest device that fits: " << r.smallestFit << "\n";
    else if (r.split && r.split->fits)
        out << "no single device fits; the " << r.split->shares.size() << " devices together do (layer split above)\n";
    else
        out << "no listed device fits; see layers on device for partial offload\n";
    if (!r.plansForFirst.empty()) {
        out << "presets on " << r.fits.front().device.id << " at this context:";
        for (const PlanChoice &p : r.plansForFirst)
            out << " " << p.preset << " " << gib(p.total) << (p.fits ? "" : " (no)");
        out << "\n";
        out << (r.bestPlanForFirst.empty() ? std::string("no preset fits it") : "best preset that fits: " + r.bestPlanForFirst)
            << "\n";
    }
    return out.str();
}

QJsonObject fitReportJson(const FitReport &r)
{
    const Architecture &a = r.subject.arch;
    QJsonObject model{
        {QStringLiteral("label"), QString::fromStdString(r.subject.label)},
        {QStringLiteral("from_config_only"), r.subject.fromConfigOnly},
        {QStringLiteral("architecture"), QString::fromStdString(a.name)},
        {QStringLiteral("layers"), static_cast<qint64>(a.layers)},
        {QStringLiteral("heads"), static_cast<qint64>(a.heads)},
        {QStringLiteral("kv_heads"), static_cast<qint64>(a.kvHeads)},
        {QStringLiteral("head_dim"), static_cast<qint64>(a.headDim)},
        {QStringLiteral("parameters"), static_cast<qint64>(r.subject.weights.parameters)},
        {QStringLiteral("weights"), QString::fromStdString(r.subject.weights.description)},
        {QStringLiteral("weight_bytes"), static_cast<qint64>(r.subject.weights.total)},
    };
    QJsonObject options{
        {QStringLiteral("runtime"), QString::fromLatin1(runtimeName(r.options.runtime))},
        {QStringLiteral("context"), static_cast<qint64>(r.options.context)},
        {QStringLiteral("kv_type"), QString::fromLatin1(kvCacheTypeName(r.options.kvType))},
        {QStringLiteral("batch"), r.options.batch},
        {QStringLiteral("ubatch"), r.options.ubatch},
    };
    QJsonArray devices;
    for (const DeviceFit &f : r.fits) {
        const MemoryEstimate &m = f.memory;
        QJsonObject maxContext;
        for (const ContextLimit &c : f.contexts)
            maxContext.insert(QString::fromStdString(kvKey(c.kvType)), static_cast<qint64>(c.maxContext));
        devices.append(QJsonObject{
            {QStringLiteral("id"), QString::fromStdString(f.device.id)},
            {QStringLiteral("name"), QString::fromStdString(f.device.name)},
            {QStringLiteral("usable_bytes"), static_cast<qint64>(f.device.usableBytes())},
            {QStringLiteral("limit_bytes"), static_cast<qint64>(f.limit)},
            {QStringLiteral("runtime"), QString::fromLatin1(runtimeName(m.runtime))},
            {QStringLiteral("fits"), f.fits},
            {QStringLiteral("headroom_bytes"), static_cast<qint64>(f.headroom)},
            {QStringLiteral("breakdown"), QJsonObject{
                 {QStringLiteral("weights"), static_cast<qint64>(m.weights)},
                 {QStringLiteral("host_weights"), static_cast<qint64>(m.hostWeights)},
                 {QStringLiteral("kv_cache"), static_cast<qint64>(m.kv.bytes)},
                 {QStringLiteral("compute"), static_cast<qint64>(m.compute)},
                 {QStringLiteral("overhead"), static_cast<qint64>(m.overhead)},
                 {QStringLiteral("allocator_slack"), static_cast<qint64>(m.allocatorSlack)},
                 {QStringLiteral("total"), static_cast<qint64>(m.total())},
             }},
            {QStringLiteral("kv_cells"), static_cast<qint64>(m.kv.cells)},
            {QStringLiteral("max_context"), maxContext},
            {QStringLiteral("layers_on_device"), static_cast<qint64>(f.layersOnDevice)},
            {QStringLiteral("decode_tokens_per_second"), f.speed.decodeTokensPerSecond},
            {QStringLiteral("prefill_tokens_per_second"), f.speed.prefillTokensPerSecond},
            {QStringLiteral("validated"), m.validated},
            {QStringLiteral("basis"), QString::fromStdString(m.basis)},
        });
    }
    QJsonArray curve;
    for (const ContextPoint &p : r.curve)
        curve.append(QJsonObject{{QStringLiteral("context"), static_cast<qint64>(p.context)},
                                 {QStringLiteral("total_bytes"), static_cast<qint64>(p.total)}});
    QJsonArray plans;
    for (const PlanChoice &p : r.plansForFirst)
        plans.append(QJsonObject{{QStringLiteral("preset"), QString::fromStdString(p.preset)},
                                 {QStringLiteral("total_bytes"), static_cast<qint64>(p.total)},
                                 {QStringLiteral("fits"), p.fits}});
    QJsonObject root{
        {QStringLiteral("schema"), QStringLiteral("quantscope.fit/1")},
        {QStringLiteral("model"), model},
        {QStringLiteral("options"), options},
        {QStringLiteral("devices"), devices},
        {QStringLiteral("memory_by_context"), curve},
        {QStringLiteral("recommendation"), QJsonObject{
             {QStringLiteral("smallest_device_that_fits"), QString::fromStdString(r.smallestFit)},
             {QStringLiteral("cheapest_device_that_fits"), QString::fromStdString(r.cheapestFit)},
             {QStringLiteral("presets_on_first_device"), plans},
             {QStringLiteral("best_preset_for_first_device"), QString::fromStdString(r.bestPlanForFirst)},
         }},
    };
    if (r.split) {
        QJsonArray shares;
        for (const SplitShare &s : r.split->shares)
            shares.append(QJsonObject{
                {QStringLiteral("id"), QString::fromStdString(s.device.id)},
                {QStringLiteral("first_layer"), static_cast<qint64>(s.firstLayer)},
                {QStringLiteral("layers"), static_cast<qint64>(s.layers)},
                {QStringLiteral("weights"), static_cast<qint64>(s.weights)},
                {QStringLiteral("kv_cache"), static_cast<qint64>(s.kv)},
                {QStringLiteral("compute"), static_cast<qint64>(s.compute)},
                {QStringLiteral("overhead"), static_cast<qint64>(s.overhead)},
                {QStringLiteral("total"), static_cast<qint64>(s.total())},
                {QStringLiteral("headroom_bytes"), static_cast<qint64>(s.headroom())},
            });
        root.insert(QStringLiteral("layer_split"), QJsonObject{{QStringLiteral("fits"), r.split->fits},
                                                               {QStringLiteral("host_weights"), static_cast<qint64>(r.split->hostWeights)},
                                                               {QStringLiteral("decode_tokens_per_second"), r.split->speed.decodeTokensPerSecond},
                                                               {QStringLiteral("prefill_tokens_per_second"), r.split->speed.prefillTokensPerSecond},
                                                               {QStringLiteral("devices"), shares}});
    }
    return root;
}

std::string fitReportMarkdown(const FitReport &r)
{
    std::ostringstream out;
    const Architecture &a = r.subject.arch;
    out << "## Hardware fit: " << r.subject.label << "\n\n";
    out << "- Model: " << a.name << ", " << a.layers << " layers, " << a.heads << "/" << a.kvHeads << " heads of "
        << a.headDim << ", " << r.subject.weights.parameters << " parameters\n";
    out << "- Weights: " << r.subject.weights.description << ", " << gib(r.subject.weights.total) << "\n";
    out << "- Runtime " << runtimeName(r.options.runtime) << ", context " << r.options.context << ", KV cache "
        << kvCacheTypeName(r.options.kvType) << ", batch " << r.options.batch << "\n\n";
    out << "| device | usable | weights | KV | compute | overhead | total | fits | headroom | longest context | layers | decode tok/s |\n";
    out << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const DeviceFit &f : r.fits) {
        const MemoryEstimate &m = f.memory;
        std::string ctx;
        for (const ContextLimit &c : f.contexts)
            ctx += (ctx.empty() ? "" : ", ") + kvKey(c.kvType) + " " + tokens(c.maxContext);
        out << "| " << f.device.name << " | " << gib(f.limit) << " | " << gib(m.weights) << " | "
            << gib(m.kv.bytes) << " | " << gib(m.compute) << " | " << gib(m.overhead + m.allocatorSlack) << " | "
            << gib(m.total()) << " | " << (f.fits ? "yes" : "**no**") << " | " << signedGib(f.headroom) << " | " << ctx
            << " | " << f.layersOnDevice << "/" << a.layers << " | " << rate(f.speed.decodeTokensPerSecond) << " |\n";
    }
    if (r.split) {
        out << "\nLayer split over " << r.split->shares.size() << " devices: " << (r.split->fits ? "fits" : "**does not fit**")
            << "; decode ~" << rate(r.split->speed.decodeTokensPerSecond) << " tok/s, prefill ~"
            << rate(r.split->speed.prefillTokensPerSecond) << " tok/s.\n\n| device | layers | weights | KV | total | headroom |\n|---|---|---|---|---|---|\n";
        for (const SplitShare &s : r.split->shares)
            out << "| " << s.device.name << " | " << s.firstLayer << "-" << s.firstLayer + s.layers - 1 << " | " << gib(s.weights)
                << " | " << gib(s.kv) << " | " << gib(s.total()) << " | " << signedGib(s.headroom()) << " |\n";
    }
    out << "\n" << fitRecommendation(r);
    out << "\n\n_Estimated by Quantscope. " << r.fits.front().memory.basis << "._\n";
    return out.str();
}

std::string fitReportHtml(const FitReport &r)
{
    std::ostringstream out;
    const char *colors[] = {"#3b6fb6", "#e39b2d", "#5aa469", "#9a9a9a"};
    const char *parts[] = {"weights", "KV cache", "compute", "overhead"};
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hardware fit: "
        << htmlEscape(r.subject.label) << "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
        << "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        << "td:first-child,th:first-child{text-align:left}.no{color:#b00;font-weight:bold}</style></head><body>\n";
    out << "<h1>Hardware fit: " << htmlEscape(r.subject.label) << "</h1>\n<p>" << htmlEscape(r.subject.weights.description)
        << ", " << gib(r.subject.weights.total) << " of weights; runtime " << runtimeName(r.options.runtime) << ", context "
        << r.options.context << ", KV cache " << kvCacheTypeName(r.options.kvType) << ".</p>\n";

    // Stacked memory per device against its usable memory.
    double scale = 0;
    for (const DeviceFit &f : r.fits)
        scale = std::max({scale, static_cast<double>(f.memory.total()), static_cast<double>(f.limit)});
    const int barW = 560, left = 220, rowH = 26;
    const int height = static_cast<int>(r.fits.size()) * rowH + 40;
    out << "<h2>Memory by device</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + barW + 40
        << "\" height=\"" << height << "\" font-size=\"12\">\n";
    for (size_t i = 0; i < r.fits.size(); ++i) {
        const DeviceFit &f = r.fits[i];
        const uint64_t v[] = {f.memory.weights, f.memory.kv.bytes, f.memory.compute, f.memory.overhead + f.memory.allocatorSlack};
        const int y = static_cast<int>(i) * rowH + 4;
        out << "<text x=\"0\" y=\"" << y + 15 << "\">" << htmlEscape(f.device.name) << "</text>\n";
        double x = left;
        for (int p = 0; p < 4; ++p) {
            const double w = scale > 0 ? static_cast<double>(v[p]) / scale * barW : 0;
            out << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w << "\" height=\"18\" fill=\"" << colors[p]
                << "\"><title>" << parts[p] << ": " << gib(v[p]) << "</title></rect>\n";
            x += w;
        }
        const double limit = left + static_cast<double>(f.limit) / scale * barW;
        out << "<line x1=\"" << limit << "\" x2=\"" << limit << "\" y1=\"" << y - 2 << "\" y2=\"" << y + 20
            << "\" stroke=\"" << (f.fits ? "#222" : "#c00") << "\" stroke-width=\"2\"/>\n";
    }
    const int ly = static_cast<int>(r.fits.size()) * rowH + 20;
    for (int p = 0; p < 4; ++p)
        out << "<rect x=\"" << left + p * 110 << "\" y=\"" << ly << "\" width=\"12\" height=\"12\" fill=\"" << colors[p]
            << "\"/><text x=\"" << left + p * 110 + 16 << "\" y=\"" << ly + 11 << "\">" << parts[p] << "</text>\n";
    out << "</svg>\n<p>Bars: the estimate; black line: the device's usable memory (red where the model does not fit).</p>\n";

    // Memory against context length, log2 x axis, with each device's limit.
    if (r.curve.size() >= 2) {
        const int W = 640, H = 300, L = 60, B = 30;
        double maxY = static_cast<double>(r.curve.back().total);
        for (const DeviceFit &f : r.fits)
            if (static_cast<double>(f.limit) < maxY * 1.5)
                maxY = std::max(maxY, static_cast<double>(f.limit));
        maxY *= 1.05;
        const double lx0 = std::log2(static_cast<double>(r.curve.front().context));
        const double lx1 = std::log2(static_cast<double>(r.curve.back().context));
        auto px = [&](int64_t ctx) { return L + (std::log2(static_cast<double>(ctx)) - lx0) / (lx1 - lx0) * (W - L - 20); };
        auto py = [&](double bytes) { return H - B - bytes / maxY * (H - B - 10); };
        out << "<h2>Memory against context length (" << kvCacheTypeName(r.options.kvType) << " cache)</h2>\n"
            << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W + 200 << "\" height=\"" << H << "\" font-size=\"11\">\n";
        out << "<line x1=\"" << L << "\" y1=\"" << H - B << "\" x2=\"" << W - 20 << "\" y2=\"" << H - B << "\" stroke=\"#444\"/>\n";
        out << "<line x1=\"" << L << "\" y1=\"10\" x2=\"" << L << "\" y2=\"" << H - B << "\" stroke=\"#444\"/>\n";
        for (const ContextPoint &p : r.curve)
            out << "<text x=\"" << px(p.context) - 10 << "\" y=\"" << H - B + 16 << "\">" << tokens(p.context) << "</text>\n";
        for (int g = 0; g <= 4; ++g) {
            const double v = maxY * g / 4;
            out << "<text x=\"2\" y=\"" << py(v) + 4 << "\">" << gib(static_cast<uint64_t>(v)) << "</text>\n";
        }
        out << "<polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"2\" points=\"";
        for (const ContextPoint &p : r.curve)
            out << px(p.context) << "," << py(static_cast<double>(p.total)) << " ";
        out << "\"/>\n";
        for (const DeviceFit &f : r.fits) {
            const double u = static_cast<double>(f.limit);
            if (u > maxY)
                continue;
            out << "<line x1=\"" << L << "\" x2=\"" << W - 20 << "\" y1=\"" << py(u) << "\" y2=\"" << py(u)
                << "\" stroke=\"#c66\" stroke-dasharray=\"4 3\"/><text x=\"" << W - 16 << "\" y=\"" << py(u) + 4 << "\">"
                << htmlEscape(f.device.name) << "</text>\n";
        }
        out << "</svg>\n";
    }

    out << "<h2>Details</h2>\n<table><tr><th>device</th><th>usable</th><th>total</th><th>fits</th><th>headroom</th>"
        << "<th>longest context</th><th>layers on device</th><th>decode tok/s</th><th>prefill tok/s</th></tr>\n";
    for (const DeviceFit &f : r.fits) {
        std::string ctx;
        for (const ContextLimit &c : f.contexts)
            ctx += (ctx.empty() ? "" : ", ") + kvKey(c.kvType) + " " + tokens(c.maxContext);
        out << "<tr><td>" << htmlEscape(f.device.name) << "</td><td>" << gib(f.limit) << "</td><td>"
            << gib(f.memory.total()) << "</td><td" << (f.fits ? ">yes" : " class=\"no\">no") << "</td><td>"
            << signedGib(f.headroom) << "</td><td>" << ctx << "</td><td>" << f.layersOnDevice << "/" << r.subject.arch.layers
            << "</td><td>" << rate(f.speed.decodeTokensPerSecond) << "</td><td>" << rate(f.speed.prefillTokensPerSecond)
            << "</td></tr>\n";
    }
    out << "</table>\n";
    if (r.split) {
        out << "<h2>Layer split over " << r.split->shares.size() << " devices: " << (r.split->fits ? "fits" : "does not fit")
            << "</h2>\n<p>Decode ~" << rate(r.split->speed.decodeTokensPerSecond) << " tokens/s, prefill ~"
            << rate(r.split->speed.prefillTokensPerSecond) << " tokens/s (the devices take their layers in turn).</p>\n<table><tr><th>device</th><th>layers</th><th>weights</th><th>KV cache</th><th>total</th><th>headroom</th></tr>\n";
        for (const SplitShare &s : r.split->shares)
            out << "<tr><td>" << htmlEscape(s.device.name) << "</td><td>" << s.firstLayer << "-" << s.firstLayer + s.layers - 1
                << "</td><td>" << gib(s.weights) << "</td><td>" << gib(s.kv) << "</td><td>" << gib(s.total()) << "</td><td>"
                << signedGib(s.headroom()) << "</td></tr>\n";
        out << "</table>\n";
    }
    out << "<p><b>" << htmlEscape(fitRecommendation(r)) << "</b>";
    out << "</p>\n<p><small>" << htmlEscape(r.fits.front().memory.basis) << ". Device figures and their sources: "
        << "resources/hardware/hardware.json.</small></p>\n</body></html>\n";
    return out.str();
}

} // namespace qs
