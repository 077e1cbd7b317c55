// Writes the seed corpus in tests/fuzz/corpus: small valid files ("ok-*") and one of each malformation the readers
// must refuse ("bad-*"). Run once after changing it: make_seeds <corpus dir>. The files are committed.
#include "export/group_checkpoint.h"
#include "file_builders.h"
#include "model/model.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>

using namespace qs::test;

static void write(const QString &dir, const QString &name, const QByteArray &data)
{
    if (!writeFile(dir + QLatin1Char('/') + name, data))
        std::fprintf(stderr, "cannot write %s\n", qPrintable(name));
}

static GgufBuilder model()
{
    GgufBuilder b;
    b.kvString("general.architecture", "llama").kvU32("llama.block_count", 1).kvF32("llama.rope.freq_base", 10000.f)
        .kvArrayString("tokenizer.ggml.tokens", {"<s>", "a", "b"}).kvArrayI32("tokenizer.ggml.token_type", {3, 1, 1})
        .tensor("token_embd.weight", {4, 3}, 0, f32Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
        .tensor("blk.0.attn_q.weight", {32, 1}, 8, QByteArray(34, '\x02'))
        .tensor("output_norm.weight", {4}, 30, QByteArray(8, '\x3f'));
    return b;
}

// A checkpoint seed: 4-byte length, config.json, model.safetensors (the layout fuzz::groupCheckpoint reads).
static QByteArray checkpointSeed(const QByteArray &config, const QByteArray &safetensors)
{
    const uint32_t n = static_cast<uint32_t>(config.size());
    return QByteArray(reinterpret_cast<const char *>(&n), 4) + config + safetensors;
}

static QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A one-layer llama (hidden 64, FFN 128) written by writeGroupCheckpoint in each layout, plus configs that lie.
static void groupCheckpointSeeds(const QString &dir)
{
    QTemporaryDir tmp;
    const QString src = tmp.path() + QStringLiteral("/src");
    QDir().mkpath(src);
    const QByteArray config = R"({"model_type":"llama","hidden_size":64,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":32,"tie_word_embeddings":true,"rope_parameters":{"rope_theta":10000.0,"rope_type":"default"},"dtype":"bfloat16"})";
    writeFile(src + QStringLiteral("/config.json"), config);
    auto mat = [](int64_t r, int64_t c) {
        std::vector<float> v(static_cast<size_t>(r * c));
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = static_cast<float>(static_cast<int>(i * 7919 % 257) - 128) / 1024.f;
        return v;
    };
    const std::vector<StTensor> tensors = {
        {"model.embed_tokens.weight", "BF16", {32, 64}, bf16Bytes(mat(32, 64))},
        {"model.layers.0.input_layernorm.weight", "BF16", {64}, bf16Bytes(std::vector<float>(64, 1.f))},
        {"model.layers.0.post_attention_layernorm.weight", "BF16", {64}, bf16Bytes(std::vector<float>(64, 1.f))},
        {"model.layers.0.self_attn.q_proj.weight", "BF16", {64, 64}, bf16Bytes(mat(64, 64))},
        {"model.layers.0.self_attn.k_proj.weight", "BF16", {32, 64}, bf16Bytes(mat(32, 64))},
        {"model.layers.0.self_attn.v_proj.weight", "BF16", {32, 64}, bf16Bytes(mat(32, 64))},
        {"model.layers.0.self_attn.o_proj.weight", "BF16", {64, 64}, bf16Bytes(mat(64, 64))},
        {"model.layers.0.mlp.gate_proj.weight", "BF16", {128, 64}, bf16Bytes(mat(128, 64))},
        {"model.layers.0.mlp.up_proj.weight", "BF16", {128, 64}, bf16Bytes(mat(128, 64))},
        {"model.layers.0.mlp.down_proj.weight", "BF16", {64, 128}, bf16Bytes(mat(64, 128))},
        {"model.norm.weight", "BF16", {64}, bf16Bytes(std::vector<float>(64, 1.f))},
    };
    writeFile(src + QStringLiteral("/model.safetensors"), makeSafetensors(tensors));
    auto model = qs::Model::open(src.toStdString());
    if (!model) {
        std::fprintf(stderr, "tiny model: %s\n", model.error().describe().c_str());
        return;
    }
    auto result = [](int64_t rows, int64_t cols, bool sym) {
        qs::GroupQuantizedTensor q;
        q.format = {qs::IntGroupMethod::Gptq, 4, 32, sym};
        q.rows = rows;
        q.cols = cols;
        const int64_t G = cols / 32;
        for (int64_t i = 0; i < rows * cols; ++i)
            q.codes.push_back(static_cast<uint8_t>((i * 5 + i / cols) % 16));
        for (int64_t i = 0; i < rows * G; ++i) {
            q.scales.push_back(0.01f * static_cast<float>(1 + i % 7));
            q.zeros.push_back(sym ? 8 : static_cast<int32_t>(1 + i % 15));
        }
        for (int64_t c = 0; c < cols; ++c)
            q.gIdx.push_back(static_cast<int32_t>(c / 32));
        return q;
    };
    const struct {
        qs::GroupCheckpointFormat format;
        const char *name;
        bool sym;
    } layouts[] = {{qs::GroupCheckpointFormat::Gptq, "gptq", false},
                   {qs::GroupCheckpointFormat::AwqGemm, "awq", false},
                   {qs::GroupCheckpointFormat::CompressedTensors, "ct", true},
                   {qs::GroupCheckpointFormat::CompressedTensors, "ct-asym", false}};
    for (const auto &l : layouts) {
        qs::GroupCheckpointRequest req;
        req.format = l.format;
        for (const auto &t : tensors)
            if (t.shape.size() == 2 && t.name.find(".layers.") != std::string::npos)
                req.quantized[t.name] = result(t.shape[0], t.shape[1], l.sym);
        const QString out = tmp.path() + QLatin1Char('/') + QLatin1String(l.name);
        if (auto st = qs::writeGroupCheckpoint(**model, req, out.toStdString()); !st) {
            std::fprintf(stderr, "%s: %s\n", l.name, st.error().describe().c_str());
            continue;
        }
        const QByteArray cfg = readAll(out + QStringLiteral("/config.json"));
        const QByteArray st = readAll(out + QStringLiteral("/model.safetensors"));
        write(dir, QStringLiteral("ok-%1.bin").arg(QLatin1String(l.name)), checkpointSeed(cfg, st));
        write(dir, QStringLiteral("bad-%1-truncated.bin").arg(QLatin1String(l.name)), checkpointSeed(cfg, st.left(st.size() - 64)));
        // configs that lie about the tensors
        QJsonObject c = QJsonDocument::fromJson(cfg).object();
        QJsonObject q = c.value(QStringLiteral("quantization_config")).toObject();
        auto lie = [&](const QString &name, const QJsonObject &qc) {
            QJsonObject c2 = c;
            c2.insert(QStringLiteral("quantization_config"), qc);
            write(dir, QStringLiteral("bad-%1-%2.bin").arg(QLatin1String(l.name), name), checkpointSeed(QJsonDocument(c2).toJson(QJsonDocument::Compact), st));
        };
        if (l.format == qs::GroupCheckpointFormat::CompressedTensors) {
            QJsonObject groups = q.value(QStringLiteral("config_groups")).toObject();
            QJsonObject g0 = groups.value(QStringLiteral("group_0")).toObject();
            QJsonObject w = g0.value(QStringLiteral("weights")).toObject();
            w.insert(QStringLiteral("group_size"), 16);
            g0.insert(QStringLiteral("weights"), w);
            groups.insert(QStringLiteral("group_0"), g0);
            QJsonObject q2 = q;
            q2.insert(QStringLiteral("config_groups"), groups);
            lie(QStringLiteral("group"), q2);
        } else {
            QJsonObject q2 = q;
            q2.insert(QStringLiteral("bits"), 3);
            lie(QStringLiteral("bits"), q2);
            q2 = q;
            q2.insert(QStringLiteral("group_size"), 16);
            lie(QStringLiteral("group"), q2);
        }
    }
    // a quantization_config on a model with no packed tensors
    write(dir, QStringLiteral("bad-config-on-plain.bin"),
          checkpointSeed(R"({"model_type":"llama","hidden_size":64,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":32,"tie_word_embeddings":true,"quantization_config":{"quant_method":"gptq","bits":4,"group_size":32,"desc_act":false}})",
                         makeSafetensors(tensors)));
    write(dir, QStringLiteral("ok-plain.bin"), checkpointSeed(config, makeSafetensors(tensors)));
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds <corpus dir>\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    const QString g = root + QStringLiteral("/gguf"), s = root + QStringLiteral("/safetensors"), c = root + QStringLiteral("/hf_config");
    const QString sp = root + QStringLiteral("/sentencepiece"), tj = root + QStringLiteral("/tokenizer_json");
    const QString gc = root + QStringLiteral("/group_checkpoint");
    for (const QString &d : {g, s, c, sp, tj, gc})
        QDir().mkpath(d);
    groupCheckpointSeeds(gc);

    const QByteArray good = model().build();
    write(g, QStringLiteral("ok-model.gguf"), good);
    write(g, QStringLiteral("ok-v2.gguf"), GgufBuilder(model()).version(2).build());
    write(g, QStringLiteral("ok-align64.gguf"), GgufBuilder(model()).kvU32("general.alignment", 64).alignment(64).build());
    write(g, QStringLiteral("ok-empty.gguf"), GgufBuilder().build());
    write(g, QStringLiteral("bad-magic.gguf"), QByteArray("GGML") + good.mid(4));
    write(g, QStringLiteral("bad-version1.gguf"), GgufBuilder(model()).version(1).build());
    write(g, QStringLiteral("bad-bigendian.gguf"), GgufBuilder(model()).version(0x03000000).build());
    write(g, QStringLiteral("bad-truncated-header.gguf"), good.left(20));
    write(g, QStringLiteral("bad-truncated-data.gguf"), good.left(good.size() - 40));
    write(g, QStringLiteral("bad-kv-count.gguf"), GgufBuilder(model()).claimKvCount(int64_t(1) << 40).build());
    write(g, QStringLiteral("bad-tensor-count.gguf"), GgufBuilder(model()).claimTensorCount(int64_t(1) << 40).build());
    write(g, QStringLiteral("bad-duplicate-key.gguf"), GgufBuilder(model()).kvU32("llama.block_count", 2).build());
    write(g, QStringLiteral("bad-alignment.gguf"), GgufBuilder(model()).kvU32("general.alignment", 48).build());
    write(g, QStringLiteral("bad-alignment-type.gguf"), GgufBuilder(model()).kvI32("general.alignment", 32).build());
    write(g, QStringLiteral("bad-offset.gguf"), GgufBuilder(model()).overrideOffset(1, 96).build());
    write(g, QStringLiteral("bad-type.gguf"), GgufBuilder().tensor("t", {4}, 99, QByteArray(16, 0)).build());
    write(g, QStringLiteral("bad-block.gguf"), GgufBuilder().tensor("t", {48}, 12, QByteArray(144, 0)).build());
    write(g, QStringLiteral("bad-dims.gguf"), GgufBuilder(model()).overrideDims(0, 9).build());
    write(g, QStringLiteral("bad-name.gguf"), GgufBuilder().tensor(std::string(80, 'n'), {4}, 0, QByteArray(16, 0)).build());
    {
        QByteArray huge;
        const uint64_t n = uint64_t(1) << 33;
        huge.append(reinterpret_cast<const char *>(&n), 8);
        write(g, QStringLiteral("bad-string-length.gguf"), GgufBuilder().kvRaw("k", 8, huge).build());
        QByteArray arr;
        const int32_t t = 8;
        arr.append(reinterpret_cast<const char *>(&t), 4);
        arr.append(reinterpret_cast<const char *>(&n), 8);
        write(g, QStringLiteral("bad-array-length.gguf"), GgufBuilder().kvRaw("k", 9, arr).build());
    }

    write(s, QStringLiteral("ok-small.safetensors"),
          makeSafetensors({{"a.weight", "BF16", {2, 2}, bf16Bytes({1, 2, 3, 4})}, {"b", "F32", {1}, f32Bytes({5})}},
                          R"({"format":"pt"})"));
    write(s, QStringLiteral("ok-empty.safetensors"), rawSafetensors("{}", {}));
    write(s, QStringLiteral("ok-fp8.safetensors"), makeSafetensors({{"w", "F8_E4M3", {4}, QByteArray(4, '\x38')}}));
    write(s, QStringLiteral("bad-short.safetensors"), QByteArray(5, 0));
    write(s, QStringLiteral("bad-header-length.safetensors"), rawSafetensors("{}", {}, int64_t(1) << 50));
    write(s, QStringLiteral("bad-json.safetensors"), rawSafetensors("{\"a\":", {}));
    write(s, QStringLiteral("bad-dtype.safetensors"), rawSafetensors(R"({"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", QByteArray(1, 0)));
    write(s, QStringLiteral("bad-shape.safetensors"), rawSafetensors(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", QByteArray(8, 0)));
    write(s, QStringLiteral("bad-overlap.safetensors"), rawSafetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", QByteArray(12, 0)));
    write(s, QStringLiteral("bad-past-end.safetensors"), rawSafetensors(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", QByteArray(8, 0)));
    write(s, QStringLiteral("bad-hole.safetensors"), rawSafetensors(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}})", QByteArray(3, 0)));

    write(c, QStringLiteral("ok-llama.json"), R"({"model_type":"llama","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":100,"rope_parameters":{"rope_theta":10000.0,"rope_type":"default"},"dtype":"bfloat16"})");
    write(c, QStringLiteral("ok-qwen2.json"), R"({"architectures":["Qwen2ForCausalLM"],"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":1,"intermediate_size":128,"vocab_size":100,"rope_theta":1000000.0,"rope_scaling":{"type":"yarn","factor":4.0,"original_max_position_embeddings":32768},"torch_dtype":"bfloat16"})");
    write(c, QStringLiteral("bad-unsupported.json"), R"({"model_type":"bert","hidden_size":64})");
    write(c, QStringLiteral("bad-kv.json"), R"({"model_type":"llama","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":3,"intermediate_size":128,"vocab_size":100})");
    write(c, QStringLiteral("bad-json.json"), "{\"model_type\":");
    // SentencePiece: field 1 = piece { 1: text, 2: score (fixed32), 3: type (varint) }
    QByteArray piece = QByteArray("\x0a\x03\xe2\x96\x81", 5) + QByteArray("\x15\x00\x00\x80\xbf\x18\x01", 7);
    QByteArray model = QByteArray("\x0a", 1) + QByteArray(1, static_cast<char>(piece.size())) + piece;
    write(sp, QStringLiteral("ok-one-piece.model"), model);
    write(sp, QStringLiteral("ok-two-pieces.model"), model + model + QByteArray("\x12\x02" "ab", 4));
    write(sp, QStringLiteral("bad-empty.model"), QByteArray());
    write(sp, QStringLiteral("bad-truncated.model"), model.left(model.size() - 2));
    write(sp, QStringLiteral("bad-length.model"), QByteArray("\x0a\xff\xff\xff\xff\x0f", 6));
    write(sp, QStringLiteral("bad-type.model"), QByteArray("\x0a\x05\x0a\x01x\x18\x09", 7));

    // GGUF vocabularies: a SentencePiece one the tokenizer reads, and arrays that disagree (the file itself parses)
    auto vocab = [](const std::string &model) {
        GgufBuilder b;
        b.kvString("tokenizer.ggml.model", model).kvArrayString("tokenizer.ggml.tokens", {"<unk>", "<s>", "\xE2\x96\x81", "a", "b", "ab", "<0x0A>"});
        return b;
    };
    write(g, QStringLiteral("ok-vocab-llama.gguf"),
          vocab("llama").kvArrayF32("tokenizer.ggml.scores", {0, 0, 0, 0, 0, -1, 0}).kvArrayI32("tokenizer.ggml.token_type", {2, 3, 1, 1, 1, 1, 6}).build());
    write(g, QStringLiteral("ok-vocab-gpt2.gguf"), vocab("gpt2").kvString("tokenizer.ggml.pre", "llama-bpe").kvArrayString("tokenizer.ggml.merges", {"a b"}).build());
    write(g, QStringLiteral("ok-vocab-short-scores.gguf"), vocab("llama").kvArrayF32("tokenizer.ggml.scores", {0, 0}).build());
    write(g, QStringLiteral("ok-vocab-string-types.gguf"), vocab("llama").kvArrayString("tokenizer.ggml.token_type", {"x", "y", "z", "x", "y", "z", "x"}).build());

    // tokenizer.json: the layouts the reader follows, small, and one of each malformation it must refuse
    const QByteArray bytes = [] {
        QByteArray v = "{";
        for (int b = 0; b < 256; ++b)
            v += "\"<0x" + QByteArray::number(b, 16).toUpper().rightJustified(2, '0') + ">\":" + QByteArray::number(b + 3) + ",";
        return v;
    }();
    const QByteArray spmVocab = bytes + R"("<unk>":0,"<s>":1,"</s>":2,"▁":259,"a":260,"b":261,"▁a":262,"ab":263})";
    const QByteArray spmRest = R"(,"merges":[["▁","a"],["a","b"]]},"added_tokens":[{"id":1,"content":"<s>","special":true},{"id":2,"content":"</s>","special":true}])";
    write(tj, QStringLiteral("ok-llama2.json"), R"({"model":{"type":"BPE","byte_fallback":true,"unk_token":"<unk>","fuse_unk":true,"vocab":)" + spmVocab + spmRest +
          R"(,"normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},"pre_tokenizer":null})");
    write(tj, QStringLiteral("ok-mistral.json"), R"({"model":{"type":"BPE","byte_fallback":true,"unk_token":"<unk>","vocab":)" + spmVocab + spmRest +
          R"(,"normalizer":null,"pre_tokenizer":{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}})");
    const QByteArray byteLevel = R"({"model":{"type":"BPE","vocab":{"H":0,"e":1,"l":2,"o":3,"Ġ":4,"w":5,"He":6,"ll":7,"Ġw":8,"<|end|>":9},"merges":["H e","l l","Ġ w"]},"added_tokens":[{"id":9,"content":"<|end|>","special":true}],)";
    write(tj, QStringLiteral("ok-gpt2.json"), byteLevel + R"("pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"use_regex":true}})");
    write(tj, QStringLiteral("ok-llama3.json"), byteLevel + R"("pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"(?i:'s|'t)|[^\r\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|\\s+"},"behavior":"Isolated","invert":false},{"type":"ByteLevel","use_regex":false}]}})");
    write(tj, QStringLiteral("bad-not-json.json"), "{\"model\":{\"type\":");
    write(tj, QStringLiteral("bad-deep-nesting.json"), "{\"model\":" + QByteArray(4000, '[') + QByteArray(4000, ']') + "}");
    write(tj, QStringLiteral("bad-not-bpe.json"), R"({"model":{"type":"WordPiece","vocab":{"a":0}}})");
    write(tj, QStringLiteral("bad-unknown-merge.json"), R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]},"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-negative-id.json"), R"({"model":{"type":"BPE","vocab":{"a":-3},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-huge-id.json"), R"({"model":{"type":"BPE","vocab":{"a":4294967296},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-duplicate-id.json"), R"({"model":{"type":"BPE","vocab":{"a":0,"b":0},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-added-contradicts.json"), R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"added_tokens":[{"id":7,"content":"a"}],"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-merge-shape.json"), R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[["a"]]},"pre_tokenizer":{"type":"ByteLevel"}})");
    write(tj, QStringLiteral("bad-normalizer.json"), R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"normalizer":{"type":"NFKC"},"pre_tokenizer":null})");
    write(tj, QStringLiteral("bad-regex.json"), R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"(a"},"behavior":"Isolated"},{"type":"ByteLevel","use_regex":false}]}})");
    return 0;
}
