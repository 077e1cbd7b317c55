// Benchmark: the GPTQ solver and the layer driver. It prints figures; the baseline (the PyTorch reference
// fasterquant, tests/bench/gptq_reference.py) runs in the same script, tests/bench/bench_gptq.sh, which prints the
// ratio. Two modes:
//
//   bench_gptq solve FILE W_NAME H_FILE H_NAME [--bits 4] [--group 128] [--sym] [--act-order] [--static-groups]
//                    [--threads N] [--repeat R]
//       gptqQuantize on one Linear's W (f32 [out, in]) and H (f32 [in, in]) from safetensors files; prints
//       "seconds S loss L" per repeat (the solve alone: the copy of H it takes by value is made outside the clock,
//       as the reference's H is its own tensor).
//
//   bench_gptq layer [--method gptq|awq] [--spill DIR] [--windows S] [--window C] [--threads N] [--dir DIR] [--extrapolate S2]
//       A Llama-3-8B-shaped model of one decoder layer (hidden 4096, 32 heads, 8 KV heads, FFN 14336, vocab 4096,
//       random bf16 weights) written as a Hugging Face folder, then solvePlan (GPTQ w4g128 symmetric, or AWQ w4g128
//       with a zero point, on all seven Linears) over S random-token windows of C tokens. Prints wall time, each true-sequential subset's time (from
//       the job's progress), peak memory (VmHWM, and RssAnon sampled every 20 ms: VmHWM also counts the mapped bf16
//       model pages the kernel keeps resident; RssAnon is what the pipeline allocates), and the part of it that can
//       be attributed: the kept layer inputs (S x C x hidden f32), the largest Hessian, one layer's weights in f32.
//       With --extrapolate S2 it also prints the figures scaled to S2 windows (time per token; memory adds the
//       inputs of the extra tokens, the only allocation that grows with them).
#include "calibration/calibration_set.h"
#include "io/safetensors.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "pipeline/solve_plan.h"
#include "plan/plan.h"
#include "solvers/gptq.h"
#include "engine/transformer.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

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

double since(std::chrono::steady_clock::time_point t0) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }

std::string option(int argc, char **argv, const char *name, const std::string &fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return fallback;
}

bool flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return true;
    return false;
}

bool readF32(const std::string &file, const std::string &name, std::vector<float> &out, std::vector<int64_t> &shape)
{
    auto st = qs::openSafetensors(file);
    if (!st) {
        std::fprintf(stderr, "%s\n", st.error().describe().c_str());
        return false;
    }
    for (const auto &t : st->tensors)
        if (t.name == name && t.dtype == qs::StDtype::F32) {
            const auto b = st->tensorBytes(t);
            out.resize(b.size() / 4);
            std::memcpy(out.data(), b.data(), b.size());
            shape = t.shape;
            return true;
        }
    std::fprintf(stderr, "%s: no f32 tensor %s\n", file.c_str(), name.c_str());
    return false;
}

int runSolve(int argc, char **argv)
{
    if (argc < 6) {
        std::fprintf(stderr, "bench_gptq solve FILE W_NAME H_FILE H_NAME [options]\n");
        return 2;
    }
    std::vector<float> W, H;
    std::vector<int64_t> ws, hs;
    if (!readF32(argv[2], argv[3], W, ws) || !readF32(argv[4], argv[5], H, hs))
        return 1;
    if (ws.size() != 2 || hs.size() != 2 || hs[0] != ws[1] || hs[1] != ws[1]) {
        std::fprintf(stderr, "W and H shapes do not agree\n");
        return 1;
    }
    qs::GptqOptions o;
    const int bits = std::stoi(option(argc, argv, "--bits", "4")), group = std::stoi(option(argc, argv, "--group", "128"));
    o.format = qs::IntGroupFormat{qs::IntGroupMethod::Gptq, bits, group, flag(argc, argv, "--sym")};
    o.actOrder = flag(argc, argv, "--act-order");
    o.staticGroups = flag(argc, argv, "--static-groups");
    o.threads = std::stoi(option(argc, argv, "--threads", "0"));
    qs::setBlasThreads(o.threads);
    const int repeat = std::stoi(option(argc, argv, "--repeat", "1"));
    for (int i = 0; i < repeat; ++i) {
        std::vector<float> h = H; // gptqQuantize takes H by value: copied outside the clock
        const auto t0 = std::chrono::steady_clock::now();
        auto r = qs::gptqQuantize(W.data(), ws[0], ws[1], std::move(h), o);
        const double secs = since(t0);
        if (!r) {
            std::fprintf(stderr, "%s\n", r.error().describe().c_str());
            return 1;
        }
        std::printf("seconds %.3f loss %.6g\n", secs, static_cast<double>(r->tensor.loss));
        std::fflush(stdout);
    }
    return 0;
}

// Random bf16 with a weight-like spread (sum of four uniforms, about gaussian, sd ~0.017), from a xorshift.
void fillBf16(std::vector<uint16_t> &buf, uint64_t &state, float spread)
{
    for (auto &v : buf) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const float a = static_cast<float>(state & 0xffff) / 65536.f, b = static_cast<float>((state >> 16) & 0xffff) / 65536.f;
        const float c = static_cast<float>((state >> 32) & 0xffff) / 65536.f, d = static_cast<float>((state >> 48) & 0xffff) / 65536.f;
        const float x = (a + b + c + d - 2.f) * spread;
        uint32_t bits;
        std::memcpy(&bits, &x, 4);
        v = static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
    }
}

constexpr int64_t kHidden = 4096, kFfn = 14336, kVocab = 4096, kKv = 1024;

// One decoder layer of Llama-3-8B's shapes; norms are 1 (bf16 0x3f80), everything else random.
void writeModel(const std::string &dir)
{
    struct Spec { std::string name; std::vector<int64_t> shape; bool norm; };
    const std::string p = "model.layers.0.";
    const std::vector<Spec> specs = {{"model.embed_tokens.weight", {kVocab, kHidden}, false},
                                     {p + "input_layernorm.weight", {kHidden}, true},
                                     {p + "self_attn.q_proj.weight", {kHidden, kHidden}, false},
                                     {p + "self_attn.k_proj.weight", {kKv, kHidden}, false},
                                     {p + "self_attn.v_proj.weight", {kKv, kHidden}, false},
                                     {p + "self_attn.o_proj.weight", {kHidden, kHidden}, false},
                                     {p + "post_attention_layernorm.weight", {kHidden}, true},
                                     {p + "mlp.gate_proj.weight", {kFfn, kHidden}, false},
                                     {p + "mlp.up_proj.weight", {kFfn, kHidden}, false},
                                     {p + "mlp.down_proj.weight", {kHidden, kFfn}, false},
                                     {"model.norm.weight", {kHidden}, true},
                                     {"lm_head.weight", {kVocab, kHidden}, false}};
    std::string header = "{";
    uint64_t off = 0;
    std::vector<int64_t> counts;
    for (size_t i = 0; i < specs.size(); ++i) {
        int64_t n = 1;
        for (int64_t d : specs[i].shape)
            n *= d;
        counts.push_back(n);
        header += (i ? "," : "") + std::string("\"") + specs[i].name + "\":{\"dtype\":\"BF16\",\"shape\":[";
        for (size_t k = 0; k < specs[i].shape.size(); ++k)
            header += (k ? "," : "") + std::to_string(specs[i].shape[k]);
        header += "],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + 2 * static_cast<uint64_t>(n)) + "]}";
        off += 2 * static_cast<uint64_t>(n);
    }
    header += "}";
    while (header.size() % 8)
        header += ' ';
    std::ofstream f(dir + "/model.safetensors", std::ios::binary);
    const uint64_t hn = header.size();
    f.write(reinterpret_cast<const char *>(&hn), 8);
    f.write(header.data(), static_cast<std::streamsize>(header.size()));
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < specs.size(); ++i) {
        std::vector<uint16_t> buf(static_cast<size_t>(counts[i]));
        if (specs[i].norm)
            std::fill(buf.begin(), buf.end(), uint16_t(0x3f80));
        else
            fillBf16(buf, state, specs[i].name.find("embed") != std::string::npos ? 1.0f : 0.03f);
        f.write(reinterpret_cast<const char *>(buf.data()), static_cast<std::streamsize>(buf.size() * 2));
    }
    std::ofstream(dir + "/config.json") << "{\"model_type\":\"llama\",\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":4096,"
                                           "\"num_hidden_layers\":1,\"num_attention_heads\":32,\"num_key_value_heads\":8,"
                                           "\"intermediate_size\":14336,\"vocab_size\":4096,\"max_position_embeddings\":8192,"
                                           "\"rms_norm_eps\":1e-05,\"rope_theta\":500000.0,\"torch_dtype\":\"bfloat16\","
                                           "\"tie_word_embeddings\":false}";
    std::ofstream(dir + "/tokenizer.json")
        << R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]},"pre_tokenizer":{"type":"ByteLevel","use_regex":true},"added_tokens":[]})";
}

int runLayer(int argc, char **argv)
{
    const int64_t S = std::stoll(option(argc, argv, "--windows", "128")), C = std::stoll(option(argc, argv, "--window", "512"));
    const int64_t S2 = std::stoll(option(argc, argv, "--extrapolate", "0"));
    const int threads = std::stoi(option(argc, argv, "--threads", "0"));
    const std::string dirArg = option(argc, argv, "--dir", QDir::tempPath().toStdString());
    QTemporaryDir tmp(QString::fromStdString(dirArg) + QStringLiteral("/qsbench-gptq-XXXXXX"));
    const std::string dir = tmp.path().toStdString();
    const auto g0 = std::chrono::steady_clock::now();
    writeModel(dir);
    std::printf("one Llama-3-8B-shaped decoder layer (hidden 4096, 32/8 heads, FFN 14336, vocab 4096), random bf16, written in %.1f s\n", since(g0));

    auto model = qs::Model::open(dir);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().describe().c_str());
        return 1;
    }
    qs::CalibrationSet cal;
    cal.window = C;
    cal.ids.resize(static_cast<size_t>(S * C));
    std::mt19937_64 rng(1234);
    for (auto &id : cal.ids)
        id = static_cast<int32_t>(rng() % kVocab);
    qs::Plan plan;
    plan.preset.clear();
    plan.output = qs::PlanOutput::HfCheckpoint;
    const bool awq = option(argc, argv, "--method", "gptq") == "awq";
    plan.groupQuant = qs::IntGroupFormat::make(awq ? qs::IntGroupMethod::Awq : qs::IntGroupMethod::Gptq, 4, 128);
    qs::SolveOptions opt;
    opt.gptq.threads = threads;
    opt.gptq.spillDir = option(argc, argv, "--spill", "");

    // each subset's time: from one progress item to the next ("layer 1 of 1 · q/k/v · GPTQ" is reported when
    // q/k/v are done: its time is their forward, Hessian and three solves)
    qs::JobControl job;
    auto last = std::chrono::steady_clock::now();
    std::vector<std::pair<std::string, double>> steps;
    job.onProgress([&](const qs::JobProgress &p) {
        if (p.item.empty())
            return;
        if (!steps.empty() && steps.back().first == p.item)
            return;
        steps.emplace_back(p.item, since(last));
        last = std::chrono::steady_clock::now();
    });
    std::atomic<bool> done{false};
    std::atomic<int64_t> peakAnon{0};
    std::thread sampler([&] {
        while (!done) {
            peakAnon = std::max<int64_t>(peakAnon, statusKb("RssAnon:"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const int64_t anonBefore = statusKb("RssAnon:");
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpuSeconds();
    last = t0;
    auto r = qs::solvePlan(*model, plan, cal, opt, &job);
    const double wall = since(t0), cpu = cpuSeconds() - c0;
    done = true;
    sampler.join();
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().describe().c_str());
        return 1;
    }
    const double tailSecs = since(last); // the quantized layer's forward that feeds the next layer
    const int64_t tokens = S * C;
    std::printf("solvePlan, %s, %lld x %lld tokens, %d threads: %.1f s wall, %.1f s CPU, %.2f ms per token\n", plan.groupQuant->name().c_str(),
                static_cast<long long>(S), static_cast<long long>(C), threads, wall, cpu, wall * 1e3 / static_cast<double>(tokens));
    for (const auto &[item, secs] : steps)
        std::printf("  %-32s %7.1f s (forward to its input, Hessian, solves)\n", item.c_str(), secs);
    std::printf("  %-32s %7.1f s\n", "the quantized layer's forward", tailSecs);
    const double mib = 1024.0 * 1024.0;
    const double inputs = static_cast<double>(tokens * kHidden * 4) / mib;
    const double hessDown = static_cast<double>(kFfn * kFfn * 4) / mib;
    const double layerF32 = static_cast<double>((kHidden * kHidden * 2 + kKv * kHidden * 2 + 3 * kFfn * kHidden) * 4) / mib;
    const double peakAnonMiB = static_cast<double>(peakAnon) / 1024, hwm = static_cast<double>(statusKb("VmHWM:")) / 1024;
    std::printf("memory: peak anonymous (RssAnon, sampled) %.0f MiB (%.0f before), peak resident incl. mapped model (VmHWM) %.0f MiB\n",
                peakAnonMiB, static_cast<double>(anonBefore) / 1024, hwm);
    if (awq)
        std::printf("  attributable: the layer's input, the two norms' outputs and the two blocks' FP outputs %.0f MiB (5 x S x C x 4096 f32), "
                    "down_proj Hessian %.0f MiB, the layer's weights in f32 twice (originals and the trial) %.0f MiB\n",
                    5 * inputs, hessDown, 2 * layerF32);
    else
        std::printf("  attributable: kept layer inputs %.0f MiB (S x C x 4096 f32), down_proj Hessian %.0f MiB (14336^2 f32; the solver "
                    "holds it, its copy and H^-1), one layer's weights in f32 %.0f MiB\n",
                    inputs, hessDown, layerF32);
    if (S2 > 0 && S2 != S) {
        const double scale = static_cast<double>(S2) / static_cast<double>(S);
        // the solves do not depend on the token count; everything else (forwards, Hessian accumulation) is linear in it
        const double extraInputs = static_cast<double>((S2 - S) * C * kHidden * 4) / mib;
        std::printf("extrapolated to %lld x %lld tokens: %.0f s wall if all of it scaled with tokens (upper bound, %.2f ms per token); "
                    "peak anonymous %.0f MiB, VmHWM %.0f MiB (adding %.0f MiB of kept inputs)\n",
                    static_cast<long long>(S2), static_cast<long long>(C), wall * scale, wall * 1e3 / static_cast<double>(tokens),
                    peakAnonMiB + extraInputs, hwm + extraInputs, extraInputs);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "solve")
        return runSolve(argc, argv);
    if (mode == "layer")
        return runLayer(argc, argv);
    std::fprintf(stderr, "bench_gptq solve FILE W_NAME H_FILE H_NAME [--bits 4] [--group 128] [--sym] [--act-order] [--static-groups] "
                         "[--threads N] [--repeat R]\n"
                         "bench_gptq layer [--method gptq|awq] [--spill DIR] [--windows 128] [--window 512] [--threads N] [--dir DIR] [--extrapolate S2]\n");
    return 2;
}
