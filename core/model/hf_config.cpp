#include "model/architecture.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace qs {

bool isSupportedArchitecture(const std::string &name)
{
    return name == "llama" || name == "mistral" || name == "qwen2" || name == "qwen3";
}

namespace {

// From the architectures list when model_type is missing: "Qwen2ForCausalLM" -> "qwen2".
std::string archFromClass(const QString &cls)
{
    if (cls.startsWith(QLatin1String("LlamaFor")))
        return "llama";
    if (cls.startsWith(QLatin1String("MistralFor")))
        return "mistral";
    if (cls.startsWith(QLatin1String("Qwen2For")))
        return "qwen2";
    if (cls.startsWith(QLatin1String("Qwen3For")))
        return "qwen3";
    return cls.toStdString();
}

} // namespace

Result<Architecture> parseHfConfig(std::span<const uint8_t> json, const std::string &path)
{
    auto fail = [&](std::string msg) { return makeError(std::move(msg)).inFile(path); };

    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(json.data()), static_cast<qsizetype>(json.size())), &perr);
    if (perr.error != QJsonParseError::NoError)
        return Error(fail("invalid JSON: " + perr.errorString().toStdString())).atOffset(perr.offset);
    if (!doc.isObject())
        return fail("config.json is not a JSON object");
    QJsonObject c = doc.object();
    // Multimodal wrappers keep the language model's settings in text_config.
    if (c.value(QLatin1String("text_config")).isObject() && !c.contains(QLatin1String("hidden_size")))
        c = c.value(QLatin1String("text_config")).toObject();

    Architecture a;
    a.name = c.value(QLatin1String("model_type")).toString().toStdString();
    if (a.name.empty()) {
        const QJsonArray archs = c.value(QLatin1String("architectures")).toArray();
        if (!archs.isEmpty())
            a.name = archFromClass(archs.first().toString());
    }
    if (a.name.empty())
        return fail("no \"model_type\" or \"architectures\" entry: cannot tell the architecture");
    if (!isSupportedArchitecture(a.name))
        return fail("architecture '" + a.name + "' is not supported (supported: " + kSupportedArchitectures + ")");

    // Integer fields: present, whole and positive, or a clear message.
    auto intField = [&](const char *key, int64_t &out, bool required) -> bool {
        const QJsonValue v = c.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return !required;
        const qint64 i = v.toInteger(-1);
        if (!v.isDouble() || i <= 0 || static_cast<double>(i) != v.toDouble())
            return false;
        out = i;
        return true;
    };
    struct Req {
        const char *key;
        int64_t *out;
    };
    for (const Req &r : {Req{"hidden_size", &a.hiddenSize}, Req{"num_hidden_layers", &a.layers},
                         Req{"num_attention_heads", &a.heads}, Req{"intermediate_size", &a.intermediateSize},
                         Req{"vocab_size", &a.vocabSize}}) {
        if (!intField(r.key, *r.out, true))
            return fail(std::string("\"") + r.key + "\" is missing or not a positive integer");
    }
    a.kvHeads = a.heads;
    if (!intField("num_key_value_heads", a.kvHeads, false))
        return fail("\"num_key_value_heads\" is not a positive integer");
    a.headDim = 0;
    if (!intField("head_dim", a.headDim, false))
        return fail("\"head_dim\" is not a positive integer");
    a.headDimExplicit = a.headDim != 0;
    if (a.headDim == 0) {
        if (a.hiddenSize % a.heads != 0)
            return fail("hidden_size " + std::to_string(a.hiddenSize) + " is not divisible by num_attention_heads " +
                        std::to_string(a.heads) + " and no head_dim is given");
        a.headDim = a.hiddenSize / a.heads;
    }
    if (a.heads % a.kvHeads != 0)
        return fail("num_attention_heads " + std::to_string(a.heads) + " is not a multiple of num_key_value_heads " +
                    std::to_string(a.kvHeads));
    if (!intField("max_position_embeddings", a.contextLength, false))
        return fail("\"max_position_embeddings\" is not a positive integer");
    if (!intField("sliding_window", a.slidingWindow, false))
        a.slidingWindow = 0; // null or false in many configs: no sliding window

    a.tiedEmbeddings = c.value(QLatin1String("tie_word_embeddings")).toBool(false);
    a.attentionBias = a.name == "qwen2" ? true : c.value(QLatin1String("attention_bias")).toBool(false);
    a.normEpsilon = c.value(QLatin1String("rms_norm_eps")).toDouble(1e-6);

    // transformers 5 moved rope_theta and rope_scaling into rope_parameters and torch_dtype to dtype.
    const bool v5 = c.contains(QLatin1String("rope_parameters")) || c.contains(QLatin1String("dtype"));
    a.configSchema = v5 ? 5 : 4;
    a.dtype = c.value(QLatin1String(v5 && c.contains(QLatin1String("dtype")) ? "dtype" : "torch_dtype")).toString().toStdString();
    if (a.dtype.empty())
        a.dtype = c.value(QLatin1String("torch_dtype")).toString().toStdString();

    QJsonObject rope;
    if (c.value(QLatin1String("rope_parameters")).isObject()) {
        rope = c.value(QLatin1String("rope_parameters")).toObject();
        a.rope.theta = rope.value(QLatin1String("rope_theta")).toDouble(c.value(QLatin1String("rope_theta")).toDouble(10000.0));
    } else {
        a.rope.theta = c.value(QLatin1String("rope_theta")).toDouble(10000.0);
        rope = c.value(QLatin1String("rope_scaling")).toObject();
    }
    if (!(a.rope.theta > 0) || !std::isfinite(a.rope.theta))
        return fail("rope_theta must be a positive number");
    QString type = rope.value(QLatin1String("rope_type")).toString(rope.value(QLatin1String("type")).toString());
    if (type.isEmpty() || type == QLatin1String("default"))
        type = QStringLiteral("none");
    a.rope.scalingType = type.toStdString();
    a.rope.factor = rope.value(QLatin1String("factor")).toDouble(1.0);
    a.rope.originalContextLength = rope.value(QLatin1String("original_max_position_embeddings")).toInteger(0);
    a.rope.lowFreqFactor = rope.value(QLatin1String("low_freq_factor")).toDouble(1.0);
    a.rope.highFreqFactor = rope.value(QLatin1String("high_freq_factor")).toDouble(4.0);
    a.rope.betaFast = rope.value(QLatin1String("beta_fast")).toDouble(32.0);
    a.rope.betaSlow = rope.value(QLatin1String("beta_slow")).toDouble(1.0);
    a.rope.attentionFactor = rope.value(QLatin1String("attention_factor")).toDouble(0.0);
    if (a.rope.scalingType != "none" && !(a.rope.factor > 0 && std::isfinite(a.rope.factor)))
        return fail("rope scaling factor must be a positive number");
    return a;
}

} // namespace qs
