#include "io/safetensors_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace qs {

uint64_t SafetensorsTensorSpec::bytes() const
{
    uint64_t n = static_cast<uint64_t>(dtypeSize(dtype));
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

Status SafetensorsWriter::begin(const std::string &path, const std::vector<SafetensorsTensorSpec> &tensors,
                                const std::map<std::string, std::string> &metadata)
{
    QJsonObject root;
    if (!metadata.empty()) {
        QJsonObject meta;
        for (const auto &[k, v] : metadata)
            meta.insert(QString::fromStdString(k), QString::fromStdString(v));
        root.insert(QStringLiteral("__metadata__"), meta);
    }
    uint64_t offset = 0;
    for (const SafetensorsTensorSpec &t : tensors) {
        const QString name = QString::fromStdString(t.name);
        if (t.name.empty() || t.name == "__metadata__" || root.contains(name))
            return makeError("tensor name is empty, reserved or given twice").forTensor(t.name).inFile(path);
        QJsonArray shape;
        for (int64_t d : t.shape) {
            if (d < 0)
                return makeError("negative dimension").forTensor(t.name).inFile(path);
            shape.append(static_cast<qint64>(d));
        }
        const uint64_t end = offset + t.bytes();
        QJsonObject o;
        o.insert(QStringLiteral("dtype"), QString::fromLatin1(dtypeName(t.dtype).data(), static_cast<qsizetype>(dtypeName(t.dtype).size())));
        o.insert(QStringLiteral("shape"), shape);
        o.insert(QStringLiteral("data_offsets"), QJsonArray{static_cast<qint64>(offset), static_cast<qint64>(end)});
        root.insert(name, o);
        offset = end;
    }
    // QJsonObject orders keys alphabetically; the reader sorts by offset, so data order is still the declared one.
    QByteArray header = QJsonDocument(root).toJson(QJsonDocument::Compact);
    while (header.size() % 8 != 0)
        header.append(' ');
    m_expected = offset;
    m_written = 0;
    if (auto st = m_file.open(path); !st)
        return st;
    const uint64_t n = static_cast<uint64_t>(header.size());
    uint8_t len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<uint8_t>(n >> (8 * i));
    if (auto st = m_file.write({len, 8}); !st)
        return st;
    return m_file.write({reinterpret_cast<const uint8_t *>(header.constData()), static_cast<size_t>(header.size())});
}

Status SafetensorsWriter::append(std::span<const uint8_t> bytes)
{
    if (m_written + bytes.size() > m_expected)
        return makeError("more data than the header declared (" + std::to_string(m_expected) + " bytes)").inFile(m_file.tempPath());
    m_written += bytes.size();
    return m_file.write(bytes);
}

Status SafetensorsWriter::finish()
{
    if (m_written != m_expected) {
        m_file.discard();
        return makeError("wrote " + std::to_string(m_written) + " data bytes but the header declared " + std::to_string(m_expected));
    }
    return m_file.commit();
}

void SafetensorsWriter::cancel()
{
    m_file.discard();
}

} // namespace qs
