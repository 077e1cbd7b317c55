#include "fuzz_targets.h"

#include "engine/bpe_tokenizer.h"
#include "io/gguf.h"
#include "io/safetensors.h"
#include "io/sentencepiece_model.h"
#include "model/architecture.h"
#include "model/model.h"
#include "model/model_report.h"

#include <QDir>
#include <QFile>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
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
    // the vocabulary, when there is one: its arrays may disagree with each other, never crash the reader
    if (auto t = BpeTokenizer::fromGgufMetadata(r->metadata, "fuzz.gguf"))
        for (int32_t id : t->encode("Hello <s> world\n"))
            require(id >= 0 && id <= t->maxTokenId());
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

bool tokenizerJson(const uint8_t *data, size_t size)
{
    auto t = BpeTokenizer::fromTokenizerJsonBytes({data, size}, "tokenizer.json");
    if (!t)
        return false;
    // Whatever a file it accepts says, encoding gives ids it declared, and strict encoding refuses what is not
    // UTF-8. The texts: fixed tricky ones, and the input's own bytes (hostile text to a hostile vocabulary).
    auto inRange = [&](const std::vector<int32_t> &ids) {
        for (int32_t id : ids)
            require(id >= 0 && id <= t->maxTokenId());
    };
    for (std::string_view text : {std::string_view("Hello world"), std::string_view(" <s>a\tb\n\n"), std::string_view("\xC3\xBC\xE4\xB8\xAD\xF0\x9F\xA4\x96 1,000"),
                                  std::string_view("")}) {
        inRange(t->encode(text));
        if (auto checked = t->encodeChecked(text))
            require(*checked == t->encode(text));
    }
    const std::string_view own(reinterpret_cast<const char *>(data), std::min<size_t>(size, 4096));
    inRange(t->encode(own));
    require(!t->encodeChecked("a\xFF").ok());
    return true;
}

bool groupCheckpoint(const uint8_t *data, size_t size)
{
    if (size < 4)
        return false;
    uint32_t configLen = 0;
    std::memcpy(&configLen, data, 4);
    if (configLen > size - 4)
        return false;
    // Model::open maps files from a folder: one folder per process, rewritten for every input
    struct Folder {
        QString path = QDir::tempPath() + QStringLiteral("/quantscope-fuzz-ckpt-") + QString::number(::getpid());
        ~Folder() { QDir(path).removeRecursively(); } // removed at exit
    };
    static const Folder folder;
    const QString &dir = folder.path;
    QDir().mkpath(dir);
    auto put = [&](const QString &name, const uint8_t *p, size_t n) {
        QFile f(dir + QLatin1Char('/') + name);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               f.write(reinterpret_cast<const char *>(p), static_cast<qint64>(n)) == static_cast<qint64>(n);
    };
    if (!put(QStringLiteral("config.json"), data + 4, configLen) ||
        !put(QStringLiteral("model.safetensors"), data + 4 + configLen, size - 4 - configLen))
        return false;
    auto m = Model::open(dir.toStdString());
    if (!m)
        return false;
    std::vector<float> rows;
    for (size_t i = 0; i < (*m)->tensors().size(); ++i) {
        const ModelTensor &t = (*m)->tensors()[i];
        if (t.packed >= 0) {
            require(static_cast<size_t>(t.packed) < (*m)->packedLinears().size());
            const PackedLinear &p = (*m)->packedLinears()[static_cast<size_t>(t.packed)];
            require(t.shape.size() == 2 && t.shape[0] == p.rows && t.shape[1] == p.cols && p.groups > 0);
        }
        if (!(*m)->canRead(i) || t.rows() <= 0 || t.rowLength() > (1 << 20))
            continue;
        rows.resize(static_cast<size_t>(t.rowLength()));
        require((*m)->readRows(i, 0, 1, rows.data()).ok());
        require((*m)->readRows(i, t.rows() - 1, 1, rows.data()).ok());
    }
    return true;
}

} // namespace qs::fuzz
