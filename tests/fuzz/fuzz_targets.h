// The fuzz entry points, one per parser. Each returns whether the input was accepted; the libFuzzer wrappers
// ignore that, the corpus replay test checks it against the seed's expected verdict.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qs::fuzz {

bool gguf(const uint8_t *data, size_t size);
bool safetensors(const uint8_t *data, size_t size);
bool hfConfig(const uint8_t *data, size_t size);
bool sentencePiece(const uint8_t *data, size_t size);
bool tokenizerJson(const uint8_t *data, size_t size);
// A quantized checkpoint folder in one input: 4-byte little-endian length L, L bytes of config.json, then the
// bytes of model.safetensors. Opened with Model::open (GPTQ / AWQ / pack-quantized parts checked against the
// config) and every tensor's first and last rows read.
bool groupCheckpoint(const uint8_t *data, size_t size);

} // namespace qs::fuzz
