#include "fuzz_targets.h"

#include "io/gguf.h"
#include "io/safetensors.h"
#include "io/sentencepiece_model.h"
#include "model/architecture.h"
#include "model/model_report.h"

#include <cstdlib>
#include <vector>

namespace qs::fuzz {

// Invariants that must hold for anything a parser accepts; a violation aborts so the fuzzer reports it.
static void require(bool ok)
{
    if (!ok)
        std::abort();
}

bool gguf(const uint8_t *data, size_t size)
{
    auto r = parseGguf({data, size}, "fuzz.gguf");
    if (!r)
        return false;
    std::vector<float> row;
    for (const auto &t : r->tensors) {
        require(t.fileOffset >= r->dataOffset && t.fileOffset <= size && t.bytes <= size - t.fileOffset);
        require(t.traits && t.elements > 0);
        // convert the first row of every readable tensor: touches exactly the bytes the header promised
        if (t.traits->toFloat && !t.ne.empty() && t.ne[0] <= (1 << 20)) {
            row.resize(static_cast<size_t>(t.ne[0]));
            t.traits->toFloat(data + t.fileOffset, row.data(), t.ne[0]);
        }
    }
    for (const auto &kv : r->metadata)
        (void)ggufValueText(kv.value);
    return true;
}

bool safetensors(const uint8_t *data, size_t size)
{
    auto r = parseSafetensors({data, size}, "fuzz.safetensors");
    if (!r)
        return false;
    uint64_t prevEnd = 8 + r->headerLength;
    for (const auto &t : r->tensors) {
        require(t.begin == prevEnd && t.end >= t.begin && t.end <= size);
        require(static_cast<uint64_t>(t.elements()) * static_cast<uint64_t>(dtypeSize(t.dtype)) == t.end - t.begin);
        prevEnd = t.end;
    }
    require(prevEnd == size);
    return true;
}

bool hfConfig(const uint8_t *data, size_t size)
{
    auto r = parseHfConfig({data, size}, "config.json");
    if (!r)
        return false;
    require(r->layers > 0 && r->heads > 0 && r->kvHeads > 0 && r->headDim > 0 && r->heads % r->kvHeads == 0);
    return true;
}

bool sentencePiece(const uint8_t *data, size_t size)
{
    auto r = parseSentencePieceModel({data, size}, "tokenizer.model");
    if (!r)
        return false;
    size_t text = 0;
    for (const auto &p : *r)
        text += p.piece.size();
    require(!r->empty() && text <= size);
    return true;
}

} // namespace qs::fuzz
