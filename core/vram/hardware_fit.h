// The hardware database (resources/hardware/hardware.json, overridable by the user) and the fit of a model on a
// device: fits or not, headroom, the longest context each KV cache type allows, layers on the device when it does
// not fit, and the expected speed.
#pragma once

#include "common/result.h"
#include "vram/memory_estimate.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

struct Device {
    std::string id;          // "rtx-4090"
    std::string name;        // "GeForce RTX 4090"
    std::string vendor;
    std::string kind;        // gpu, unified, cpu, phone
    double memoryGiB = 0;
    double usableFraction = 1.0;
    double bandwidthGBs = 0;
    double fp16Tflops = 0;   // 0: unknown
    double int8Tops = 0;
    std::string source;
    double priceUsd = 0;     // launch list price of the card or kit; 0: none published (data-centre parts, systems)
    std::string priceSource;
    uint64_t usableBytes() const;
};

// Parses a hardware JSON document (schema quantscope.hardware/1).
Result<std::vector<Device>> parseHardware(const std::string &json, const std::string &origin);
// The shipped database, then the user's file ($QUANTSCOPE_HARDWARE, else ~/.config/quantscope/hardware.json) on
// top: an entry with an existing id replaces it, others are added.
Result<std::vector<Device>> loadHardware();
// Finds by id, or by a case-insensitive substring of the name when exactly one device matches.
Result<Device> findDevice(const std::vector<Device> &devices, const std::string &query);

// A memory size as people write it: a decimal number and a unit, in any case, with or without a space between:
// B; KB, MB, GB, TB (powers of 10); KiB, MiB, GiB, TiB (powers of 2). "6GiB", "7.5 GiB", "16GB", "512MiB".
// More than 0 bytes and at most 1 PiB; anything else is an error saying what was expected.
Result<uint64_t> parseMemorySize(const std::string &text);
// A device that is only an amount of memory (`fit --budget 6GiB`): named "6 GiB budget", id "budget-6gib", a GPU
// (llama.cpp's CUDA overhead applies) of unknown speed, all of it usable.
Result<Device> budgetDevice(const std::string &text);

struct ContextLimit {
    KvCacheType kvType;
    int64_t maxContext = 0;   // 0: not even the smallest context fits; tokens, a multiple of 256
};

struct DeviceFit {
    Device device;
    MemoryEstimate memory;
    bool fits = false;
    uint64_t limit = 0;                 // what the runtime may use there: the usable memory, or vLLM's share of it
    int64_t headroom = 0;               // limit minus the estimate (negative: short by)
    std::vector<ContextLimit> contexts; // for each KV type the runtime supports
    int64_t layersOnDevice = 0;         // of arch.layers; all when it fits
    SpeedEstimate speed;
};

// The options as they apply on a device: llama.cpp on CUDA becomes Metal on Apple and the CPU backend on CPUs;
// vLLM's scheduler limits default as `vllm serve` sets them (1024 sequences and 8192 batched tokens on GPUs of
// 70 GiB or more other than the A100, else 256 and 2048; vllm/engine/arg_utils.py).
EstimateOptions optionsOnDevice(const EstimateOptions &options, const Device &device);

// `runtime` in options picks the runtime; for a unified/Apple device a CUDA llama.cpp runtime becomes Metal, for a
// CPU device llama.cpp's CPU backend.
Result<DeviceFit> fitOnDevice(const Architecture &arch, const WeightBytes &weights, const EstimateOptions &options,
                              const Device &device);

} // namespace qs

namespace qs {

// llama.cpp's layer split (-sm layer) over several GPUs of one host: each device takes a run of layers in proportion
// to its usable memory (llama.cpp's default --tensor-split), with those layers' KV cache, its own compute buffer and
// context overhead; the last device also holds the output layer.
struct SplitShare {
    Device device;
    int64_t firstLayer = 0, layers = 0;
    uint64_t weights = 0, kv = 0, compute = 0, overhead = 0;
    uint64_t total() const { return weights + kv + compute + overhead; }
    int64_t headroom() const { return static_cast<int64_t>(device.usableBytes()) - static_cast<int64_t>(total()); }
};
struct SplitFit {
    std::vector<SplitShare> shares;
    bool fits = false;
    uint64_t hostWeights = 0;
    // One sequence passes the devices in turn: each token costs the sum of every device's time for its share of
    // the layers (estimateSpeed per share), so a split is as fast as its parts added, never faster.
    SpeedEstimate speed;
};
Result<SplitFit> fitLayerSplit(const Architecture &arch, const WeightBytes &weights, const EstimateOptions &options,
                               const std::vector<Device> &devices);

} // namespace qs
