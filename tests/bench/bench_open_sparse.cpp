// Benchmark: opening a Llama-3-8B-shaped model must read headers only.
//
// Generates the model as sparse files (16 GB apparent, a few MB of disk): 4 safetensors shards with the real
// tensor names and shapes, config.json and the index, plus the same model as one BF16 GGUF file. Then opens each
// many times and prints wall time, bytes read through read() (/proc/self/io rchar) and pages touched through the
// memory map (minor + major page faults), next to a baseline run in the same process: plain read() of exactly the
// header bytes. Prints figures; never passes or fails on the clock.
#include "model/model.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>

namespace {

struct Spec {
    std::string hf;
    std::string gguf;
    std::vector<int64_t> shape; // row-major
};

std::vector<Spec> llama3_8b()
{
    const int64_t hidden = 4096, ffn = 14336, vocab = 128256, kv = 1024;
    std::vector<Spec> s;
    s.push_back({"model.embed_tokens.weight", "token_embd.weight", {vocab, hidden}});
    for (int l = 0; l < 32; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".", g = "blk." + std::to_string(l) + ".";
        s.push_back({p + "input_layernorm.weight", g + "attn_norm.weight", {hidden}});
        s.push_back({p + "self_attn.q_proj.weight", g + "attn_q.weight", {hidden, hidden}});
        s.push_back({p + "self_attn.k_proj.weight", g + "attn_k.weight", {kv, hidden}});
        s.push_back({p + "self_attn.v_proj.weight", g + "attn_v.weight", {kv, hidden}});
        s.push_back({p + "self_attn.o_proj.weight", g + "attn_output.weight", {hidden, hidden}});
        s.push_back({p + "post_attention_layernorm.weight", g + "ffn_norm.weight", {hidden}});
        s.push_back({p + "mlp.gate_proj.weight", g + "ffn_gate.weight", {ffn, hidden}});
        s.push_back({p + "mlp.up_proj.weight", g + "ffn_up.weight", {ffn, hidden}});
        s.push_back({p + "mlp.down_proj.weight", g + "ffn_down.weight", {hidden, ffn}});
    }
    s.push_back({"model.norm.weight", "output_norm.weight", {hidden}});
    s.push_back({"lm_head.weight", "output.weight", {vocab, hidden}});
    return s;
}

int64_t elements(const Spec &s)
{
    int64_t n = 1;
    for (int64_t d : s.shape)
        n *= d;
    return n;
}

bool writeSparse(const std::string &path, const std::string &header, uint64_t totalSize)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, header.data(), header.size()) == static_cast<ssize_t>(header.size()) &&
              ::ftruncate(fd, static_cast<off_t>(totalSize)) == 0;
    ::close(fd);
    return ok;
}

// Returns the header lengths written, for the baseline.
std::vector<uint64_t> writeHfModel(const std::string &dir, const std::vector<Spec> &specs)
{
    const int shards = 4;
    std::vector<std::vector<const Spec *>> byShard(shards);
    uint64_t total = 0;
    for (const auto &s : specs)
        total += static_cast<uint64_t>(elements(s)) * 2;
    uint64_t acc = 0;
    for (const auto &s : specs) {
        const int shard = static_cast<int>(std::min<uint64_t>(shards - 1, acc * shards / total));
        byShard[static_cast<size_t>(shard)].push_back(&s);
        acc += static_cast<uint64_t>(elements(s)) * 2;
    }
    QJsonObject weightMap;
    std::vector<uint64_t> headerLens;
    for (int i = 0; i < shards; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "model-%05d-of-%05d.safetensors", i + 1, shards);
        std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
        uint64_t off = 0;
        for (const Spec *s : byShard[static_cast<size_t>(i)]) {
            const uint64_t bytes = static_cast<uint64_t>(elements(*s)) * 2;
            header += ",\"" + s->hf + "\":{\"dtype\":\"BF16\",\"shape\":[";
            for (size_t k = 0; k < s->shape.size(); ++k)
                header += (k ? "," : "") + std::to_string(s->shape[k]);
            header += "],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + bytes) + "]}";
            off += bytes;
            weightMap[QString::fromStdString(s->hf)] = QString::fromLatin1(name);
        }
        header += "}";
        while (header.size() % 8)
            header += ' ';
        std::string file(8, '\0');
        const uint64_t n = header.size();
        std::memcpy(file.data(), &n, 8);
        file += header;
        writeSparse(dir + "/" + name, file, file.size() + off);
        headerLens.push_back(8 + n);
    }
    QJsonObject index{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), static_cast<qint64>(total)}}},
                      {QStringLiteral("weight_map"), weightMap}};
    std::ofstream(dir + "/model.safetensors.index.json") << QJsonDocument(index).toJson().toStdString();
    std::ofstream(dir + "/config.json") << R"({"architectures":["LlamaForCausalLM"],"model_type":"llama",
        "hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,
        "intermediate_size":14336,"vocab_size":128256,"max_position_embeddings":8192,"rms_norm_eps":1e-05,
        "rope_theta":500000.0,"torch_dtype":"bfloat16","tie_word_embeddings":false})";
    return headerLens;
}

template <class T>
void put(std::string &b, T v)
{
    b.append(reinterpret_cast<const char *>(&v), sizeof(T));
}

void putStr(std::string &b, const std::string &s)
{
    put<uint64_t>(b, s.size());
    b += s;
}

uint64_t writeGguf(const std::string &path, const std::vector<Spec> &specs)
{
    std::string h = "GGUF";
    put<uint32_t>(h, 3);
    put<int64_t>(h, static_cast<int64_t>(specs.size()));
    put<int64_t>(h, 5);
    auto kvU32 = [&](const std::string &k, uint32_t v) { putStr(h, k); put<int32_t>(h, 4); put<uint32_t>(h, v); };
    putStr(h, "general.architecture");
    put<int32_t>(h, 8);
    putStr(h, "llama");
    kvU32("llama.block_count", 32);
    kvU32("llama.embedding_length", 4096);
    kvU32("llama.attention.head_count", 32);
    kvU32("llama.attention.head_count_kv", 8);
    uint64_t off = 0;
    for (const auto &s : specs) {
        putStr(h, s.gguf);
        put<uint32_t>(h, static_cast<uint32_t>(s.shape.size()));
        for (auto it = s.shape.rbegin(); it != s.shape.rend(); ++it)
            put<int64_t>(h, *it);
        put<uint32_t>(h, 30); // BF16
        put<uint64_t>(h, off);
        off += (static_cast<uint64_t>(elements(s)) * 2 + 31) / 32 * 32;
    }
    while (h.size() % 32)
        h += '\0';
    writeSparse(path, h, h.size() + off);
    return h.size();
}

struct Counters {
    uint64_t rchar = 0;
    long faults = 0;
};

Counters now()
{
    Counters c;
    std::ifstream io("/proc/self/io");
    std::string key;
    uint64_t v;
    while (io >> key >> v)
        if (key == "rchar:")
            c.rchar = v;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    c.faults = ru.ru_minflt + ru.ru_majflt;
    return c;
}

struct Measure {
    double msPerOpen;
    double bytesRead;
    double pagesTouched;
};

template <class F>
Measure measure(int reps, F &&f)
{
    f(); // warm: the first open also pays for Qt's JSON and allocator set-up
    const Counters a = now();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i)
        f();
    const auto t1 = std::chrono::steady_clock::now();
    const Counters b = now();
    return {std::chrono::duration<double, std::milli>(t1 - t0).count() / reps, double(b.rchar - a.rchar) / reps,
            double(b.faults - a.faults) / reps};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    const auto specs = llama3_8b();
    int64_t params = 0;
    for (const auto &s : specs)
        params += elements(s);
    const auto headerLens = writeHfModel(dir, specs);
    const uint64_t ggufHeader = writeGguf(dir + "/llama3-8b.gguf", specs);

    auto hf = qs::Model::open(dir);
    auto gg = qs::Model::open(dir + "/llama3-8b.gguf");
    if (!hf || !gg) {
        std::fprintf(stderr, "open failed: %s\n", (!hf ? hf.error() : gg.error()).describe().c_str());
        return 1;
    }
    std::printf("Llama-3-8B-shaped model: %zu tensors, %lld parameters, %.2f GB apparent per copy (sparse files)\n",
                (*hf)->tensors().size(), static_cast<long long>((*hf)->parameterCount()), (*hf)->sizeOnDisk() / 1e9);

    const int reps = 50;
    const Measure mHf = measure(reps, [&] { auto m = qs::Model::open(dir); if (!m) std::abort(); });
    const Measure mGg = measure(reps, [&] { auto m = qs::Model::open(dir + "/llama3-8b.gguf"); if (!m) std::abort(); });
    // Baseline: read() exactly the header bytes of each file and nothing else.
    uint64_t hfHeaderBytes = 0;
    for (uint64_t n : headerLens)
        hfHeaderBytes += n;
    std::vector<char> buf(std::max<uint64_t>(hfHeaderBytes, ggufHeader));
    const Measure baseHf = measure(reps, [&] {
        for (int i = 0; i < 4; ++i) {
            char name[64];
            std::snprintf(name, sizeof name, "/model-%05d-of-%05d.safetensors", i + 1, 4);
            const int fd = ::open((dir + name).c_str(), O_RDONLY);
            if (::read(fd, buf.data(), headerLens[static_cast<size_t>(i)]) < 0)
                std::abort();
            ::close(fd);
        }
    });
    const Measure baseGg = measure(reps, [&] {
        const int fd = ::open((dir + "/llama3-8b.gguf").c_str(), O_RDONLY);
        if (::read(fd, buf.data(), ggufHeader) < 0)
            std::abort();
        ::close(fd);
    });

    auto row = [](const char *what, const Measure &m, const Measure &base) {
        std::printf("  %-34s %8.3f ms  %10.0f B read()  %6.0f pages faulted (%7.0f KiB)   time x%.1f of baseline\n", what, m.msPerOpen,
                    m.bytesRead, m.pagesTouched, m.pagesTouched * 4096 / 1024.0, m.msPerOpen / base.msPerOpen);
    };
    std::printf("\nper open, mean of %d (page cache warm; the files hold no data, only headers):\n", reps);
    row("Model::open(HF folder, 4 shards)", mHf, baseHf);
    row("  baseline: read() the 4 headers", baseHf, baseHf);
    row("Model::open(GGUF, BF16)", mGg, baseGg);
    row("  baseline: read() the GGUF header", baseGg, baseGg);
    std::printf("\nheader bytes: safetensors %llu (4 shards), GGUF %llu; data bytes never touched: %.2f GB\n",
                static_cast<unsigned long long>(hfHeaderBytes), static_cast<unsigned long long>(ggufHeader), (*hf)->sizeOnDisk() / 1e9);
    std::printf("targets: < 100 ms and < 1 MB read per open -> HF %s, GGUF %s\n",
                mHf.msPerOpen < 100 && mHf.bytesRead + mHf.pagesTouched * 4096 < 1e6 ? "met" : "MISSED",
                mGg.msPerOpen < 100 && mGg.bytesRead + mGg.pagesTouched * 4096 < 1e6 ? "met" : "MISSED");
    return 0;
}
