// Benchmark: evaluating an 8B-shaped model must hold about one layer, not the model.
//
// Generates a Llama-3-8B-shaped model (hidden 4096, 32 heads, 8 kv heads, FFN 14336, vocab 128256) with a given
// number of layers as one sparse bf16 safetensors file: real tensor names, shapes and offsets, every value zero, so
// it costs no disk and no time to write. Memory does not depend on the values (the pass converts, multiplies and
// frees the same buffers whatever they hold), and zeros give a check that cannot pass by accident: every logit is
// 0, so the perplexity must be exactly the vocabulary size. Then evaluates ONE 512-token window of random token ids
// through the core API (Transformer + evaluate, Hugging Face protocol) and prints the peak anonymous memory.
//
// How the peak is measured (the mapped file is not the engine's memory: the kernel can drop its pages at any time):
//  - sampled: a thread reads RssAnon from /proc/self/status every millisecond during evaluate(); the figure is the
//    largest value seen minus RssAnon just before (the process's own baseline: Qt, OpenBLAS's buffers). The pass's
//    allocations are hundreds of MB held for a whole layer, far longer than the sampling period.
//  - bound: VmHWM is reset (clear_refs 5) before evaluate(); afterwards VmHWM - RssFile(end) - RssAnon(before) is a
//    lower bound of the same figure (file pages only grow during the pass, so RssFile(end) >= RssFile at the peak).
// Run with several layer counts (default 2 and 4): the figure must not grow with depth. The baseline printed beside
// it is one layer's weights in f32, the unit the pass streams by. Prints figures; never passes or fails on them.
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "engine/weight_source.h"
#include "model/model.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr int64_t kHidden = 4096, kFfn = 14336, kVocab = 128256, kHeads = 32, kKvHeads = 8, kContext = 512;

struct TensorSpec {
    std::string name;
    std::vector<int64_t> shape;
    int64_t elements() const
    {
        int64_t n = 1;
        for (int64_t d : shape)
            n *= d;
        return n;
    }
};

std::vector<TensorSpec> llama3_8bShaped(int layers)
{
    const int64_t kv = kHidden / kHeads * kKvHeads;
    std::vector<TensorSpec> s;
    s.push_back({"model.embed_tokens.weight", {kVocab, kHidden}});
    for (int l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        s.push_back({p + "input_layernorm.weight", {kHidden}});
        s.push_back({p + "self_attn.q_proj.weight", {kHidden, kHidden}});
        s.push_back({p + "self_attn.k_proj.weight", {kv, kHidden}});
        s.push_back({p + "self_attn.v_proj.weight", {kv, kHidden}});
        s.push_back({p + "self_attn.o_proj.weight", {kHidden, kHidden}});
        s.push_back({p + "post_attention_layernorm.weight", {kHidden}});
        s.push_back({p + "mlp.gate_proj.weight", {kFfn, kHidden}});
        s.push_back({p + "mlp.up_proj.weight", {kFfn, kHidden}});
        s.push_back({p + "mlp.down_proj.weight", {kHidden, kFfn}});
    }
    s.push_back({"model.norm.weight", {kHidden}});
    s.push_back({"lm_head.weight", {kVocab, kHidden}});
    return s;
}

// One safetensors file whose data section is a hole: the header, then ftruncate to the full size.
bool writeSparseModel(const std::string &dir, int layers, uint64_t *fileBytes)
{
    std::string header = "{\"__metadata__\":{\"format\":\"pt\"}";
    uint64_t off = 0;
    for (const auto &t : llama3_8bShaped(layers)) {
        const uint64_t bytes = static_cast<uint64_t>(t.elements()) * 2;
        header += ",\"" + t.name + "\":{\"dtype\":\"BF16\",\"shape\":[";
        for (size_t k = 0; k < t.shape.size(); ++k)
            header += (k ? "," : "") + std::to_string(t.shape[k]);
        header += "],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + bytes) + "]}";
        off += bytes;
    }
    header += "}";
    while (header.size() % 8)
        header += ' ';
    std::string prefix(8, '\0');
    const uint64_t n = header.size();
    std::memcpy(prefix.data(), &n, 8);
    prefix += header;
    const std::string path = dir + "/model.safetensors";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, prefix.data(), prefix.size()) == static_cast<ssize_t>(prefix.size()) &&
                    ::ftruncate(fd, static_cast<off_t>(prefix.size() + off)) == 0;
    ::close(fd);
    *fileBytes = prefix.size() + off;
    std::ofstream(dir + "/config.json") << R"({"architectures":["LlamaForCausalLM"],"model_type":"llama",
        "hidden_size":4096,"num_hidden_layers":)" << layers << R"(,"num_attention_heads":32,"num_key_value_heads":8,
        "intermediate_size":14336,"vocab_size":128256,"max_position_embeddings":8192,"rms_norm_eps":1e-05,
        "rope_theta":500000.0,"torch_dtype":"bfloat16","tie_word_embeddings":false})";
    return ok;
}

// kB fields of /proc/self/status, in bytes.
struct ProcMemory {
    int64_t rssAnon = 0, rssFile = 0, vmHwm = 0;
};

ProcMemory readProcMemory()
{
    ProcMemory m;
    char line[256];
    if (FILE *f = std::fopen("/proc/self/status", "r")) {
        while (std::fgets(line, sizeof line, f)) {
            long long kb = 0;
            if (std::sscanf(line, "RssAnon: %lld kB", &kb) == 1)
                m.rssAnon = kb * 1024;
            else if (std::sscanf(line, "RssFile: %lld kB", &kb) == 1)
                m.rssFile = kb * 1024;
            else if (std::sscanf(line, "VmHWM: %lld kB", &kb) == 1)
                m.vmHwm = kb * 1024;
        }
        std::fclose(f);
    }
    return m;
}

void resetPeakRss()
{
    if (FILE *f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);
        std::fclose(f);
    }
}

double mib(int64_t bytes)
{
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

struct Figures {
    double seconds = 0;
    double ppl = 0;
    int64_t anonBefore = 0, peakAnonSampled = 0, hwmBound = 0, rssFileEnd = 0;
};

bool evaluateOneWindow(int layers, int threads, Figures *out)
{
    QTemporaryDir dir;
    uint64_t fileBytes = 0;
    if (!dir.isValid() || !writeSparseModel(dir.path().toStdString(), layers, &fileBytes)) {
        std::fprintf(stderr, "cannot write the model in %s\n", qPrintable(dir.path()));
        return false;
    }
    auto model = qs::Model::open(dir.path().toStdString());
    if (!model) {
        std::fprintf(stderr, "open: %s\n", model.error().describe().c_str());
        return false;
    }
    auto transformer = qs::Transformer::create(std::make_shared<qs::WeightSource>(*model), threads);
    if (!transformer) {
        std::fprintf(stderr, "transformer: %s\n", transformer.error().describe().c_str());
        return false;
    }
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int32_t> id(0, static_cast<int32_t>(kVocab - 1));
    std::vector<int32_t> tokens(2 * kContext);
    for (auto &t : tokens)
        t = id(rng);
    auto windows = qs::makeEvalWindows(tokens, qs::PplProtocol::HuggingFace, kContext, -1, 1);
    if (!windows) {
        std::fprintf(stderr, "windows: %s\n", windows.error().describe().c_str());
        return false;
    }

    qs::EvalOptions options;
    options.threads = threads;
    const ProcMemory before = readProcMemory();
    std::atomic<bool> running{true};
    std::atomic<int64_t> peak{before.rssAnon};
    std::thread sampler([&] {
        while (running.load(std::memory_order_relaxed)) {
            const int64_t a = readProcMemory().rssAnon;
            if (a > peak.load(std::memory_order_relaxed))
                peak.store(a, std::memory_order_relaxed);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    resetPeakRss();
    const auto t0 = std::chrono::steady_clock::now();
    auto result = qs::evaluate(*transformer, nullptr, *windows, options);
    const auto t1 = std::chrono::steady_clock::now();
    const ProcMemory after = readProcMemory();
    running = false;
    sampler.join();
    if (!result) {
        std::fprintf(stderr, "evaluate: %s\n", result.error().describe().c_str());
        return false;
    }
    out->seconds = std::chrono::duration<double>(t1 - t0).count();
    out->ppl = result->ppl;
    out->anonBefore = before.rssAnon;
    out->peakAnonSampled = std::max(peak.load(), after.rssAnon) - before.rssAnon;
    out->hwmBound = after.vmHwm - after.rssFile - before.rssAnon;
    out->rssFileEnd = after.rssFile;
    std::printf("%6d  %9.1f  %11.1f  %19.1f  %5.0f  %11.1f  %7.1f  %.1f\n", layers, static_cast<double>(fileBytes) / 1e9,
                mib(out->anonBefore), mib(out->peakAnonSampled), mib(out->hwmBound), mib(out->rssFileEnd), out->seconds,
                out->ppl);
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int threads = 2;
    std::vector<int> layerCounts;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else
            layerCounts.push_back(std::atoi(argv[i]));
    }
    if (layerCounts.empty())
        layerCounts = {2, 4};

    const int64_t layerParams = 2 * kHidden * kHidden + 2 * (kHidden / kHeads * kKvHeads) * kHidden + 3 * kHidden * kFfn;
    const int64_t oneLayerF32 = layerParams * 4;
    const int64_t logitsF32 = kContext * kVocab * 4;
    const int64_t kTwoGB = 2'000'000'000;
    std::printf("Llama-3-8B-shaped model (hidden %lld, FFN %lld, vocab %lld, %lld/%lld heads), sparse bf16 safetensors of "
                "zeros; ONE %lld-token window of random ids, %d threads.\n",
                static_cast<long long>(kHidden), static_cast<long long>(kFfn), static_cast<long long>(kVocab),
                static_cast<long long>(kHeads), static_cast<long long>(kKvHeads), static_cast<long long>(kContext), threads);
    std::printf("peak anon (sampled): max RssAnon seen every 1 ms during evaluate() minus RssAnon before it.\n"
                "peak anon (bound):   VmHWM (reset before) - RssFile(end) - RssAnon(before): a lower bound of the same, a cross-check\n                     that the sampling missed no peak (weak: RssFile at the end exceeds RssFile at the peak).\n"
                "Neither counts the mapped model file (RssFile), which is page cache the kernel can drop.\n\n");
    std::printf("%6s  %9s  %11s  %19s  %5s  %11s  %7s  %s\n", "layers", "file", "anon before", "peak anon (sampled)", "bound",
                "RssFile end", "seconds", "PPL");
    std::printf("%6s  %9s  %11s  %19s  %5s  %11s  %7s  %s\n", "", "(GB)", "(MiB)", "(MiB)", "(MiB)", "(MiB)", "", "");
    std::vector<Figures> all;
    for (int layers : layerCounts) {
        Figures f;
        if (!evaluateOneWindow(layers, threads, &f))
            return 1;
        all.push_back(f);
    }
    std::printf("\nbaseline (same process, computed): one layer's weights in f32 = %.1f MiB; one window's logits in f32 = "
                "%.1f MiB\n",
                mib(oneLayerF32), mib(logitsF32));
    for (size_t i = 0; i < all.size(); ++i)
        std::printf("%d layers: peak anon %.1f MiB = %.2f x one f32 layer; %s 2 GB (%.0f MiB); PPL %.1f (all-zero model: "
                    "exactly the vocabulary, %lld, when the pass is right)\n",
                    layerCounts[i], mib(all[i].peakAnonSampled), static_cast<double>(all[i].peakAnonSampled) / oneLayerF32,
                    all[i].peakAnonSampled < kTwoGB ? "under" : "OVER", mib(kTwoGB), all[i].ppl,
                    static_cast<long long>(kVocab));
    if (all.size() >= 2)
        std::printf("growth from %d to %d layers: %+.1f MiB (per-layer bounded when ~0)\n", layerCounts.front(), layerCounts.back(),
                    mib(all.back().peakAnonSampled - all.front().peakAnonSampled));
    return 0;
}
