// Builders for small model files in tests. They write raw bytes on purpose, so a test can produce every kind of
// malformed file a reader must reject (wrong counts, bad offsets, truncation) as easily as a valid one.
#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs::test {

class GgufBuilder {
public:
    GgufBuilder &magic(const QByteArray &m) { m_magic = m; return *this; }
    GgufBuilder &version(uint32_t v) { m_version = v; return *this; }
    GgufBuilder &claimTensorCount(int64_t n) { m_tensorCountOverride = n; return *this; }
    GgufBuilder &claimKvCount(int64_t n) { m_kvCountOverride = n; return *this; }
    GgufBuilder &alignment(uint32_t a) { m_alignment = a; return *this; }

    GgufBuilder &kvU8(const std::string &key, uint8_t v);
    GgufBuilder &kvI8(const std::string &key, int8_t v);
    GgufBuilder &kvU16(const std::string &key, uint16_t v);
    GgufBuilder &kvI16(const std::string &key, int16_t v);
    GgufBuilder &kvU32(const std::string &key, uint32_t v);
    GgufBuilder &kvI32(const std::string &key, int32_t v);
    GgufBuilder &kvF32(const std::string &key, float v);
    GgufBuilder &kvBool(const std::string &key, bool v);
    GgufBuilder &kvString(const std::string &key, const std::string &v);
    GgufBuilder &kvU64(const std::string &key, uint64_t v);
    GgufBuilder &kvI64(const std::string &key, int64_t v);
    GgufBuilder &kvF64(const std::string &key, double v);
    GgufBuilder &kvArrayI32(const std::string &key, const std::vector<int32_t> &v);
    GgufBuilder &kvArrayF32(const std::string &key, const std::vector<float> &v);
    GgufBuilder &kvArrayString(const std::string &key, const std::vector<std::string> &v);
    // Anything at all: a key, a type id and the payload bytes that follow it.
    GgufBuilder &kvRaw(const std::string &key, int32_t type, const QByteArray &payload);

    // A tensor with `data` (its bytes); offsets are laid out packed and aligned unless overridden.
    GgufBuilder &tensor(const std::string &name, const std::vector<int64_t> &ne, uint32_t type, const QByteArray &data);
    GgufBuilder &overrideOffset(size_t tensorIndex, uint64_t offset);
    GgufBuilder &overrideDims(size_t tensorIndex, uint32_t nDims);

    QByteArray build() const;

private:
    struct Tensor {
        std::string name;
        std::vector<int64_t> ne;
        uint32_t type;
        QByteArray data;
        int64_t offsetOverride = -1;
        int64_t nDimsOverride = -1;
    };
    QByteArray m_magic = QByteArrayLiteral("GGUF");
    uint32_t m_version = 3;
    uint32_t m_alignment = 32;
    std::optional<int64_t> m_tensorCountOverride;
    std::optional<int64_t> m_kvCountOverride;
    int m_kvCount = 0;
    QByteArray m_kv;
    std::vector<Tensor> m_tensors;
};

struct StTensor {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    QByteArray data;
};

// A valid safetensors file holding `tensors` in order, with optional __metadata__.
QByteArray makeSafetensors(const std::vector<StTensor> &tensors, const QByteArray &metadataJson = {});
// Raw: the 8-byte length of `header`, `header`, then `data`.
QByteArray rawSafetensors(const QByteArray &header, const QByteArray &data, int64_t claimedLength = -1);

// Little-endian bytes of a vector of floats as BF16 (round to nearest even) or F32.
QByteArray bf16Bytes(const std::vector<float> &v);
QByteArray f32Bytes(const std::vector<float> &v);

bool writeFile(const QString &path, const QByteArray &data);

} // namespace qs::test
