// Writing integer-group results (GPTQ, AWQ, RTN) as the Hugging Face checkpoints people deploy: a folder that
// transformers and vLLM load, in one of three published layouts.
//
//  Gptq               GPTQModel/AutoGPTQ, checkpoint_format "gptq" (v1): per Linear `qweight` int32 [in*bits/32, out]
//                     (packed along the input dimension, 3 bits as AutoGPTQ's 32-values-in-3-words stream), `qzeros`
//                     int32 [groups, out*bits/32] holding zero - 1, `scales` fp16 [groups, out], `g_idx` int32 [in];
//                     config.json `quantization_config` and quantize_config.json with the keys vLLM's gptq and
//                     gptq_marlin read (quant_method, bits, group_size, sym, desc_act, checkpoint_format, lm_head),
//                     plus GPTQModel's `dynamic` when modules differ ("+:<module regex>" overrides, "-:" skips).
//  AwqGemm            AutoAWQ's WQLinear_GEMM, 4-bit: `qweight` int32 [in, out/8] with the eight output columns of a
//                     word in the order 0,2,4,6,1,3,5,7, `qzeros` int32 [groups, out/8] packed the same way (the zero
//                     itself), `scales` fp16 [groups, out]; quant_method "awq", version "gemm". One format for all.
//  CompressedTensors  llm-compressor's `pack-quantized` (W4A16/W8A16): `weight_packed` int32 [out, ceil(in/(32/bits))]
//                     along the input dimension (codes as unsigned, i.e. signed + 2^(bits-1)), `weight_scale`
//                     [out, groups], `weight_zero_point` int32 [ceil(out/(32/bits)), groups] packed along the output
//                     dimension when asymmetric, `weight_g_idx` under act-order, `weight_shape` int64 [2].
//
// Everything else (embeddings, norms, lm_head, Linears the results do not name) is copied byte for byte in the
// source dtype; AWQ's replacement tensors (norms and weights its scaling changed) are converted to the source dtype.
// Tokenizer and other side files are copied; config.json gains `quantization_config`. The folder appears complete
// or not at all: it is written into a sibling `DIR.partial-XXXXXX` and renamed into place at the end; a failure
// or cancel removes the partial folder.
#pragma once

#include "common/result.h"
#include "formats/int_group.h"
#include "jobs/job_control.h"
#include "model/model.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace qs {

enum class GroupCheckpointFormat { Gptq, AwqGemm, CompressedTensors };

// "gptq", "awq", "compressed-tensors"
const char *groupCheckpointFormatName(GroupCheckpointFormat f);
Result<GroupCheckpointFormat> parseGroupCheckpointFormat(const std::string &name);

struct GroupCheckpointRequest {
    GroupCheckpointFormat format = GroupCheckpointFormat::Gptq;
    // Each quantized Linear by its Hugging Face weight name ("model.layers.0.self_attn.q_proj.weight"): rows = out
    // features, cols = in features, as the source tensor. Linears not named here stay in the source dtype.
    std::map<std::string, GroupQuantizedTensor> quantized;
    // Tensors the solver changed (AWQ folds its scales into norms and previous Linears), as f32 in the source shape;
    // written in the source tensor's dtype. A name may not be in both maps.
    std::map<std::string, std::vector<float>> replacements;
    // Instead of the two maps above, maps the caller owns and keeps alive during the write (not copied: a large
    // model's solved codes are not held twice). Set either a map or its view, not both.
    const std::map<std::string, GroupQuantizedTensor> *quantizedView = nullptr;
    const std::map<std::string, std::vector<float>> *replacementsView = nullptr;
    // Shards of at most this many bytes (a tensor is never split) with model.safetensors.index.json when the tensors
    // do not fit in one; transformers' save_pretrained uses 5 GB, we stay under 4 GiB so FAT-style tools cope.
    uint64_t maxShardBytes = uint64_t(4) << 30;
    // Called with the finished folder's path before it is moved into place; an error stops the write there (the
    // partial folder is removed, an existing checkpoint at the target stays). Empty: no check.
    std::function<Status(const std::string &folder)> verify;
};

// Writes `model` (a Hugging Face folder) with the request's results into the folder `dir` (created; an existing
// quantized checkpoint there is replaced only once the new one is complete and verified; the source's own folder, an
// unquantized model and a non-empty folder without config.json are refused). Checks every result against its source tensor and the layout's limits (bits, whole words, zero points
// the layout can store) before writing anything. Progress: stage "writing", bytes; cancel between tensors.
// Whether `dir` may receive a checkpoint of `model`: its parent exists, and it is new, empty or an earlier quantized
// checkpoint (never the source's own folder, an unquantized model or a folder of other files). What
// writeGroupCheckpoint checks first; callers check it before calibrating too, so a refusal costs no work.
Status checkCheckpointTarget(const Model &model, const std::string &dir);

// Whether results in these formats can be stored in this layout (bits, act-order's g_idx, one format for AWQ GEMM),
// before anything is solved; the exact zero points are checked when writing.
Status checkLayoutFor(GroupCheckpointFormat format, const std::vector<IntGroupFormat> &formats, bool actOrder);

Status writeGroupCheckpoint(const Model &model, const GroupCheckpointRequest &request, const std::string &dir,
                            JobControl *control = nullptr);

} // namespace qs
