#include "vram/hardware_fit.h"

#include "io/small_file.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qs {

uint64_t Device::usableBytes() const
{
    return static_cast<uint64_t>(memoryGiB * usableFraction * 1024.0 * 1024.0 * 1024.0);
}

Result<std::vector<Device>> parseHardware(const std::string &json, const std::string &origin)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    if (doc.isNull())
        return makeError(origin + ": not valid JSON: " + err.errorString().toStdString());
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("schema")).toString() != QLatin1String("quantscope.hardware/1"))
        return makeError(origin + ": expected \"schema\": \"quantscope.hardware/1\"");
    std::vector<Device> out;
    const QJsonArray list = root.value(QLatin1String("devices")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject o = list[i].toObject();
        Device d;
        d.id = o.value(QLatin1String("id")).toString().toStdString();
        d.name = o.value(QLatin1String("name")).toString().toStdString();
        d.vendor = o.value(QLatin1String("vendor")).toString().toStdString();
        d.kind = o.value(QLatin1String("kind")).toString(QStringLiteral("gpu")).toStdString();
        d.memoryGiB = o.value(QLatin1String("memory_gib")).toDouble();
        d.usableFraction = o.value(QLatin1String("usable_fraction")).toDouble(1.0);
        d.bandwidthGBs = o.value(QLatin1String("bandwidth_gbs")).toDouble();
        d.fp16Tflops = o.value(QLatin1String("fp16_tflops")).toDouble();
        d.int8Tops = o.value(QLatin1String("int8_tops")).toDouble();
        d.source = o.value(QLatin1String("source")).toString().toStdString();
        d.priceUsd = o.value(QLatin1String("price_usd")).toDouble(0);
        d.priceSource = o.value(QLatin1String("price_source")).toString().toStdString();
        const std::string where = origin + ": device " + std::to_string(i) + (d.id.empty() ? "" : " (" + d.id + ")");
        if (d.id.empty() || d.name.empty())
            return makeError(where + ": needs an id and a name");
        if (!(d.memoryGiB > 0) || !(d.usableFraction > 0 && d.usableFraction <= 1) || !(d.bandwidthGBs > 0))
            return makeError(where + ": memory_gib and bandwidth_gbs must be positive, usable_fraction in (0, 1]");
        if (d.priceUsd < 0 || (d.priceUsd > 0 && d.priceSource.empty()))
            return makeError(where + ": price_usd must be positive and come with a price_source");
        if (d.kind != "gpu" && d.kind != "unified" && d.kind != "cpu" && d.kind != "phone")
            return makeError(where + ": kind must be gpu, unified, cpu or phone");
        out.push_back(std::move(d));
    }
    if (out.empty())
        return makeError(origin + ": no devices");
    return out;
}

Result<std::vector<Device>> loadHardware()
{
    QStringList shipped;
    if (QCoreApplication::instance())
        shipped << QDir::cleanPath(QCoreApplication::applicationDirPath() +
                                   QStringLiteral("/../share/quantscope/hardware/hardware.json"));
    shipped << QDir::cleanPath(QStringLiteral(QUANTSCOPE_SOURCE_RESOURCES "/hardware/hardware.json"));
    std::vector<Device> devices;
    std::string loadedFrom;
    for (const QString &c : shipped) {
        if (!fileExists(c.toStdString()))
            continue;
        auto text = readSmallFile(c.toStdString(), 4 << 20);
        if (!text)
            return text.error();
        auto parsed = parseHardware(std::string(text->begin(), text->end()), c.toStdString());
        if (!parsed)
            return parsed.error();
        devices = std::move(*parsed);
        loadedFrom = c.toStdString();
        break;
    }
    if (loadedFrom.empty())
        return makeError("the hardware database (hardware.json) is not installed");
    QString user = qEnvironmentVariable("QUANTSCOPE_HARDWARE");
    if (user.isEmpty())
        user = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
               QStringLiteral("/quantscope/hardware.json");
    if (fileExists(user.toStdString())) {
        auto text = readSmallFile(user.toStdString(), 4 << 20);
        if (!text)
            return text.error();
        auto extra = parseHardware(std::string(text->begin(), text->end()), user.toStdString());
        if (!extra)
            return extra.error();
        for (Device &d : *extra) {
            auto it = std::find_if(devices.begin(), devices.end(), [&](const Device &x) { return x.id == d.id; });
            if (it != devices.end())
                *it = std::move(d);
            else
                devices.push_back(std::move(d));
        }
    }
    return devices;
}

Result<Device> findDevice(const std::vector<Device> &devices, const std::string &query)
{
    const QString q = QString::fromStdString(query);
    for (const Device &d : devices)
        if (QString::fromStdString(d.id).compare(q, Qt::CaseInsensitive) == 0)
            return d;
    std::vector<const Device *> hits;
    for (const Device &d : devices)
        if (QString::fromStdString(d.name).contains(q, Qt::CaseInsensitive) ||
            QString::fromStdString(d.id).contains(q, Qt::CaseInsensitive))
            hits.push_back(&d);
    if (hits.size() == 1)
        return *hits.front();
    if (hits.empty())
        return makeError("no device matches '" + query + "' (quantscope-cli fit --list-devices lists them)");
    std::string names;
    for (size_t i = 0; i < hits.size() && i < 8; ++i)
        names += (i ? ", " : "") + hits[i]->id;
    return makeError("'" + query + "' matches " + std::to_string(hits.size()) + " devices: " + names +
                     (hits.size() > 8 ? ", ..." : "") + "; give the id");
}

namespace {

struct SizeUnit {
    const char *name;
    double bytes;
};
constexpr SizeUnit kSizeUnits[] = {
    {"B", 1},
    {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
    {"KiB", 1024.0}, {"MiB", 1024.0 * 1024}, {"GiB", 1024.0 * 1024 * 1024}, {"TiB", 1024.0 * 1024 * 1024 * 1024},
};
constexpr uint64_t kMaxMemorySize = uint64_t(1) << 50; // 1 PiB: far beyond any one host
constexpr const char *kSizeExpected =
    "expected a number and a unit, e.g. 6GiB, 7.5GiB or 16GB (B; KB, MB, GB, TB in powers of 10; KiB, MiB, GiB, TiB in "
    "powers of 2), more than 0 and at most 1 PiB";

struct ParsedSize {
    double number = 0;
    const SizeUnit *unit = nullptr;
    uint64_t bytes = 0;
};

Result<ParsedSize> parseSize(const std::string &text)
{
    static const QRegularExpression form(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*([A-Za-z]+)\\s*$"));
    const QString q = QString::fromStdString(text);
    const std::string quoted = "'" + text + "'";
    if (q.trimmed().startsWith(QLatin1Char('-')))
        return makeError(quoted + " is negative; " + kSizeExpected);
    const QRegularExpressionMatch m = form.match(q);
    if (!m.hasMatch())
        return makeError(quoted + " is not a memory size; " + kSizeExpected);
    ParsedSize p;
    p.number = m.captured(1).toDouble();
    for (const SizeUnit &u : kSizeUnits)
        if (m.captured(2).compare(QLatin1String(u.name), Qt::CaseInsensitive) == 0)
            p.unit = &u;
    if (!p.unit)
        return makeError(quoted + ": unknown unit '" + m.captured(2).toStdString() + "'; " + kSizeExpected);
    const double bytes = std::round(p.number * p.unit->bytes);
    if (!(bytes >= 1))
        return makeError(quoted + " is no memory at all; " + kSizeExpected);
    if (bytes > static_cast<double>(kMaxMemorySize))
        return makeError(quoted + " is more than 1 PiB; " + kSizeExpected);
    p.bytes = static_cast<uint64_t>(bytes);
    return p;
}

} // namespace

Result<uint64_t> parseMemorySize(const std::string &text)
{
    auto p = parseSize(text);
    if (!p)
        return p.error();
    return p->bytes;
}

Result<Device> budgetDevice(const std::string &text)
{
    auto p = parseSize(text);
    if (!p)
        return p.error();
    // the figure as given, tidied: "7.50gib" is "7.5 GiB"
    const std::string figure = QString::number(p->number, 'g', 15).toStdString() + " " + p->unit->name;
    Device d;
    d.name = figure + " budget";
    d.id = "budget-" + QString::fromStdString(figure).remove(QLatin1Char(' ')).toLower().toStdString();
    d.vendor = "";
    d.kind = "gpu";
    d.memoryGiB = static_cast<double>(p->bytes) / (1024.0 * 1024.0 * 1024.0); // exact: a power-of-two divisor
    d.usableFraction = 1.0;
    d.source = "--budget " + text;
    return d;
}

EstimateOptions optionsOnDevice(const EstimateOptions &given, const Device &device)
{
    EstimateOptions options = given;
    if (options.runtime == Runtime::LlamaCppCuda) {
        if (device.kind == "unified" && device.vendor == "Apple")
            options.runtime = Runtime::LlamaCppMetal;
        else if (device.kind == "cpu" || device.kind == "phone")
            options.runtime = Runtime::LlamaCppCpu;
    } else if (options.runtime == Runtime::Vllm) {
        const bool large = device.memoryGiB >= 70 && !QString::fromStdString(device.name).contains(QLatin1String("A100"), Qt::CaseInsensitive);
        if (options.maxNumSeqs <= 0)
            options.maxNumSeqs = large ? 1024 : 256;
        if (options.maxNumBatchedTokens <= 0)
            options.maxNumBatchedTokens = large ? 8192 : 2048;
    }
    return options;
}

Result<DeviceFit> fitOnDevice(const Architecture &arch, const WeightBytes &weights, const EstimateOptions &given,
                              const Device &device)
{
    const EstimateOptions options = optionsOnDevice(given, device);
    if ((options.runtime == Runtime::Transformers || options.runtime == Runtime::Vllm) && !(device.kind == "gpu" || device.vendor == "NVIDIA"))
        return makeError(std::string("the ") + runtimeName(options.runtime) + " estimate is for GPUs with CUDA or ROCm, which " +
                         device.name + " is not");
    auto memory = estimateMemory(arch, weights, options);
    if (!memory)
        return memory.error();
    DeviceFit fit;
    fit.device = device;
    fit.memory = *memory;
    // vLLM claims its share of the card up front and never goes beyond it
    fit.limit = options.runtime == Runtime::Vllm
                    ? static_cast<uint64_t>(static_cast<double>(device.usableBytes()) * std::clamp(options.gpuMemoryUtilization, 0.0, 1.0))
                    : device.usableBytes();
    const int64_t usable = static_cast<int64_t>(fit.limit);
    fit.headroom = usable - static_cast<int64_t>(memory->total());
    fit.fits = fit.headroom >= 0;

    // The longest context for each cache type: the estimate grows with the context, so bisect over multiples of 256.
    const int64_t ceiling = arch.contextLength > 0 ? arch.contextLength : 131072;
    for (KvCacheType t : allKvCacheTypes()) {
        if (!runtimeSupports(options.runtime, t))
            continue;
        auto fitsAt = [&](int64_t ctx) {
            EstimateOptions o = options;
            o.context = ctx;
            o.kvType = t;
            auto m = estimateMemory(arch, weights, o);
            return m && static_cast<int64_t>(m->total()) <= usable;
        };
        int64_t lo = 0, hi = (ceiling + 255) / 256; // in units of 256 tokens; lo fits (or is 0)
        if (fitsAt(hi * 256)) {
            lo = hi;
        } else {
            while (hi - lo > 1) {
                const int64_t mid = (lo + hi) / 2;
                (fitsAt(mid * 256) ? lo : hi) = mid;
            }
        }
        fit.contexts.push_back({t, std::min(lo * 256, ceiling)});
    }

    // Partial offload: whole layers (weights + their KV) while they fit beside the fixed costs. vLLM does not split
    // a model between GPU and host by layers: it either starts or it does not.
    if (fit.fits) {
        fit.layersOnDevice = arch.layers;
    } else if (options.runtime == Runtime::Vllm) {
        fit.layersOnDevice = 0;
    } else {
        const int64_t fixed = static_cast<int64_t>(memory->overhead + memory->compute + memory->allocatorSlack);
        const int64_t perLayer = arch.layers > 0
            ? static_cast<int64_t>((memory->weights - std::min<uint64_t>(memory->weights, weights.output)) / arch.layers +
                                   memory->kv.perLayer)
            : 1;
        fit.layersOnDevice = std::clamp<int64_t>(perLayer > 0 ? (usable - fixed) / perLayer : 0, 0, arch.layers);
    }
    fit.speed = estimateSpeed(arch, weights, *memory, device.bandwidthGBs, device.fp16Tflops);
    if (options.runtime == Runtime::Vllm && !fit.fits) {
        fit.speed = SpeedEstimate{}; // it does not start
    } else if (!fit.fits && arch.layers > 0 && fit.speed.decodeTokensPerSecond > 0) {
        // Layers left in host memory are read at host speed each token: the device's share at the rate estimated
        // above, the rest at the same efficiency from dual-channel DDR5 (96 GB/s). Prefill stays the device's figure.
        constexpr double kHostBandwidthGBs = 96.0;
        const double share = static_cast<double>(fit.layersOnDevice) / static_cast<double>(arch.layers);
        const double hostSlowdown = device.bandwidthGBs / kHostBandwidthGBs;
        const double seconds = (share + (1.0 - share) * hostSlowdown) / fit.speed.decodeTokensPerSecond;
        fit.speed.decodeTokensPerSecond = 1.0 / seconds;
    }
    return fit;
}

} // namespace qs

namespace qs {

Result<SplitFit> fitLayerSplit(const Architecture &arch, const WeightBytes &weights, const EstimateOptions &options,
                               const std::vector<Device> &devices)
{
    if (devices.size() < 2)
        return makeError("a layer split needs at least two devices");
    if (options.runtime != Runtime::LlamaCppCuda)
        return makeError("layer splits are estimated for llama.cpp on GPUs only");
    for (const Device &d : devices)
        if (d.kind != "gpu")
            return makeError(d.name + " is not a discrete GPU; a layer split runs over GPUs of one host");
    if (arch.layers <= 0 || weights.perLayer.size() != static_cast<size_t>(arch.layers))
        return makeError("the model's layers are unknown");
    auto whole = estimateMemory(arch, weights, options);
    if (!whole)
        return whole.error();
    SplitFit split;
    split.hostWeights = whole->hostWeights;
    // llama.cpp's default split: layer i goes to the first device whose cumulative share of the total memory
    // exceeds i / layers.
    double totalMemory = 0;
    for (const Device &d : devices)
        totalMemory += static_cast<double>(d.usableBytes());
    std::vector<double> upper;
    double acc = 0;
    for (const Device &d : devices) {
        acc += static_cast<double>(d.usableBytes()) / totalMemory;
        upper.push_back(acc);
    }
    for (const Device &d : devices)
        split.shares.push_back({d, 0, 0, 0, 0, whole->compute, whole->overhead});
    for (int64_t l = 0; l < arch.layers; ++l) {
        const double position = (static_cast<double>(l) + 0.5) / static_cast<double>(arch.layers);
        size_t dev = 0;
        while (dev + 1 < upper.size() && position > upper[dev])
            ++dev;
        SplitShare &s = split.shares[dev];
        if (s.layers == 0)
            s.firstLayer = l;
        ++s.layers;
        s.weights += weights.perLayer[static_cast<size_t>(l)];
        s.kv += whole->kv.perLayer;
    }
    // the output layer (and, with tied embeddings, llama.cpp's device copy of the embedding) on the last device
    split.shares.back().weights += whole->weights - std::accumulate(weights.perLayer.begin(), weights.perLayer.end(), uint64_t{0});
    split.fits = std::all_of(split.shares.begin(), split.shares.end(), [](const SplitShare &s) { return s.headroom() >= 0; });

    // speed: each device's share timed as a model of its own layers (its weights, its KV cache, its share of the
    // parameters), the times added
    double decodeSeconds = 0, prefillSeconds = 0;
    bool decodeKnown = true, prefillKnown = true;
    for (const SplitShare &s : split.shares) {
        Architecture part = arch;
        part.layers = s.layers;
        WeightBytes partWeights = weights;
        partWeights.parameters = static_cast<int64_t>(static_cast<double>(weights.parameters) * static_cast<double>(s.weights) /
                                                      std::max(1.0, static_cast<double>(whole->weights)));
        MemoryEstimate m = *whole;
        m.weights = s.weights;
        m.kv.bytes = s.kv;
        const SpeedEstimate sp = estimateSpeed(part, partWeights, m, s.device.bandwidthGBs, s.device.fp16Tflops);
        decodeKnown = decodeKnown && sp.decodeTokensPerSecond > 0;
        prefillKnown = prefillKnown && sp.prefillTokensPerSecond > 0;
        if (sp.decodeTokensPerSecond > 0)
            decodeSeconds += 1.0 / sp.decodeTokensPerSecond;
        if (sp.prefillTokensPerSecond > 0)
            prefillSeconds += 1.0 / sp.prefillTokensPerSecond;
    }
    if (decodeKnown && decodeSeconds > 0)
        split.speed.decodeTokensPerSecond = 1.0 / decodeSeconds;
    if (prefillKnown && prefillSeconds > 0)
        split.speed.prefillTokensPerSecond = 1.0 / prefillSeconds;
    return split;
}

} // namespace qs
