// Benchmark: quantizing a whole Llama-3-8B-shaped model (real tensor names and shapes, random bf16 weights written
// to a temporary folder first) with a preset, reporting wall and CPU time, throughput, and peak memory: the
// process's peak resident set (VmHWM, which counts the mapped input pages the kernel keeps) and its peak
// anonymous memory (RssAnon, sampled every 20 ms: what the quantizer itself allocates). Baseline in the same
// process: one plain pass over the same input bytes (the I/O and memory floor).
//   bench_quantize_model [--layers N] [--preset NAME] [--threads N] [--dir DIR]
#include "export/quantize_job.h"
#include "model/model.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

namespace {

int64_t statusKb(const char *key)
{
    std::ifstream f("/proc/self/status");
    std::string k;
    int64_t v = 0;
    while (f >> k) {
        if (k == key) {
            f >> v;
            return v;
        }
        std::string rest;
        std::getline(f, rest);
    }
    return 0;
}

double cpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Spec {
    std::string name;
    std::vector<int64_t> shape;
};

// Random bf16 with a weight-like spread (sum of uniforms ~ gaussian), from a fast xorshift.
void fillBf16(std::vector<uint16_t> &buf, uint64_t &state)
{
    for (auto &v : buf) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const float a = static_cast<float>(state & 0xffff) / 65536.f, b = static_cast<float>((state >> 16) & 0xffff) / 65536.f;
        const float c = static_cast<float>((state >> 32) & 0xffff) / 65536.f, d = static_cast<float>((state >> 48) & 0xffff) / 65536.f;
        const float x = (a + b + c + d - 2.f) * 0.03f;
        uint32_t bits;
        std::memcpy(&bits, &x, 4);
        v = static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int layers = 32, threads = 0;
    std::string preset = "Q4_K_M", dirArg;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--layers") layers = std::atoi(argv[i + 1]);
        else if (a == "--preset") preset = argv[i + 1];
        else if (a == "--threads") threads = std::atoi(argv[i + 1]);
        else if (a == "--dir") dirArg = argv[i + 1];
    }
    QTemporaryDir tmp(dirArg.empty() ? QDir::tempPath() + QStringLiteral("/qsbench-XXXXXX") : QString::fromStdString(dirArg) + QStringLiteral("/qsbench-XXXXXX"));
    const std::string dir = tmp.path().toStdString();
    const int64_t hidden = 4096, ffn = 14336, vocab = 128256, kv = 1024;
    std::vector<Spec> specs = {{"model.embed_tokens.weight", {vocab, hidden}}};
    for (int l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        for (const Spec &s : std::initializer_list<Spec>{{p + "input_layernorm.weight", {hidden}}, {p + "self_attn.q_proj.weight", {hidden, hidden}},
                                                         {p + "self_attn.k_proj.weight", {kv, hidden}}, {p + "self_attn.v_proj.weight", {kv, hidden}},
                                                         {p + "self_attn.o_proj.weight", {hidden, hidden}}, {p + "post_attention_layernorm.weight", {hidden}},
                                                         {p + "mlp.gate_proj.weight", {ffn, hidden}}, {p + "mlp.up_proj.weight", {ffn, hidden}},
                                                         {p + "mlp.down_proj.weight", {hidden, ffn}}})
            specs.push_back(s);
    }
    specs.push_back({"model.norm.weight", {hidden}});
    specs.push_back({"lm_head.weight", {vocab, hidden}});

    // one safetensors file, written tensor by tensor
    std::string header = "{";
    uint64_t off = 0;
    int64_t params = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
        int64_t n = 1;
        for (int64_t d : specs[i].shape)
            n *= d;
        params += n;
        header += (i ? "," : "") + std::string("\"") + specs[i].name + "\":{\"dtype\":\"BF16\",\"shape\":[";
        for (size_t k = 0; k < specs[i].shape.size(); ++k)
            header += (k ? "," : "") + std::to_string(specs[i].shape[k]);
        header += "],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + 2 * n) + "]}";
        off += static_cast<uint64_t>(2 * n);
    }
    header += "}";
    while (header.size() % 8)
        header += ' ';
    const auto g0 = std::chrono::steady_clock::now();
    {
        std::ofstream f(dir + "/model.safetensors", std::ios::binary);
        const uint64_t hn = header.size();
        f.write(reinterpret_cast<const char *>(&hn), 8);
        f.write(header.data(), static_cast<std::streamsize>(header.size()));
        std::vector<uint16_t> buf(1 << 22);
        uint64_t state = 0x9E3779B97F4A7C15ull;
        for (uint64_t left = off / 2; left > 0;) {
            const uint64_t k = std::min<uint64_t>(left, buf.size());
            buf.resize(static_cast<size_t>(k));
            fillBf16(buf, state);
            f.write(reinterpret_cast<const char *>(buf.data()), static_cast<std::streamsize>(k * 2));
            left -= k;
        }
        std::ofstream(dir + "/config.json") << "{\"model_type\":\"llama\",\"hidden_size\":4096,\"num_hidden_layers\":" << layers
                                            << ",\"num_attention_heads\":32,\"num_key_value_heads\":8,\"intermediate_size\":14336,"
                                               "\"vocab_size\":128256,\"max_position_embeddings\":8192,\"rms_norm_eps\":1e-05,"
                                               "\"rope_theta\":500000.0,\"torch_dtype\":\"bfloat16\",\"tie_word_embeddings\":false}";
        std::ofstream(dir + "/tokenizer.json") << R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]},"pre_tokenizer":{"type":"ByteLevel","use_regex":true},"added_tokens":[]})";
    }
    const double genSecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    std::printf("Llama-3-8B-shaped model, %d layers: %.2f G parameters, %.2f GB of bf16 (written in %.0f s)\n", layers,
                static_cast<double>(params) / 1e9, static_cast<double>(off) / 1e9, genSecs);

    auto model = qs::Model::open(dir);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().describe().c_str());
        return 1;
    }
    // baseline: one plain pass over every input byte through the same mapping
    const auto b0 = std::chrono::steady_clock::now();
    const double cb0 = cpuSeconds();
    {
        const int fd = ::open((dir + "/model.safetensors").c_str(), O_RDONLY);
        std::vector<char> buf(8 << 20);
        uint64_t sum = 0;
        ssize_t r;
        while ((r = ::read(fd, buf.data(), buf.size())) > 0)
            sum += static_cast<unsigned char>(buf[0]);
        ::close(fd);
        std::printf("baseline: read every input byte once: %.1f s (%.2f GB/s) [%llu]\n",
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count(),
                    static_cast<double>(off) / 1e9 / std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count(),
                    static_cast<unsigned long long>(sum % 10));
    }
    (void)cb0;

    std::atomic<bool> done{false};
    std::atomic<int64_t> peakAnon{0};
    std::thread sampler([&] {
        while (!done) {
            peakAnon = std::max<int64_t>(peakAnon, statusKb("RssAnon:"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const int64_t anonBefore = statusKb("RssAnon:");
    qs::QuantizeOptions opt;
    opt.plan.preset = preset;
    opt.threads = threads;
    const auto q0 = std::chrono::steady_clock::now();
    const double c0 = cpuSeconds();
    auto r = qs::quantizeModel(**model, opt, dir + "/out.gguf");
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - q0).count();
    const double cpu = cpuSeconds() - c0;
    done = true;
    sampler.join();
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().describe().c_str());
        return 1;
    }
    std::printf("quantize %s, %d threads: %.1f s wall, %.1f s CPU, %.1f Melem/s, output %.2f GB (%.3f bits per quantized weight)\n",
                preset.c_str(), threads ? threads : static_cast<int>(std::thread::hardware_concurrency()), secs, cpu,
                static_cast<double>(params) / secs / 1e6, static_cast<double>(r->fileBytes) / 1e9, r->bitsPerWeight);
    std::printf("memory: peak anonymous %.0f MiB (%.0f MiB before), peak resident incl. mapped input %.0f MiB\n",
                static_cast<double>(peakAnon) / 1024, static_cast<double>(anonBefore) / 1024, static_cast<double>(statusKb("VmHWM:")) / 1024);
    return 0;
}
