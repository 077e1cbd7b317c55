#include "calibration/calibration_set.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <random>

namespace qs {

std::string sha256OfIds(const int32_t *ids, size_t n)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(QByteArrayView(reinterpret_cast<const char *>(ids), static_cast<qsizetype>(n * 4))); // x86-64: little-endian
    return h.result().toHex().toStdString();
}

Result<CalibrationSet> randomCalibration(const std::vector<int32_t> &tokens, int64_t count, int64_t window, uint64_t seed)
{
    const int64_t n = static_cast<int64_t>(tokens.size());
    if (window < 2 || count < 1)
        return makeError("a calibration set needs at least one window of two tokens or more");
    if (n < window)
        return makeError("the calibration text has " + std::to_string(n) + " tokens, fewer than one window of " + std::to_string(window));
    CalibrationSet c;
    c.window = window;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> pick(0, n - window);
    for (int64_t k = 0; k < count; ++k) {
        const int64_t o = pick(rng);
        c.offsets.push_back(o);
        c.ids.insert(c.ids.end(), tokens.begin() + o, tokens.begin() + o + window);
    }
    return c;
}

Result<CalibrationSet> calibrationFromJson(const std::string &json, const std::vector<int32_t> &tokens, const std::string &path)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    if (doc.isNull() || !doc.isObject())
        return makeError("not a calibration windows file (JSON object): " + err.errorString().toStdString()).inFile(path);
    const QJsonObject o = doc.object();
    CalibrationSet c;
    c.window = o.value(QLatin1String("window")).toInteger(0);
    if (c.window < 2 || c.window > (1 << 20))
        return makeError("\"window\" must be a number of tokens from 2 to 1048576").inFile(path);
    const QJsonArray offs = o.value(QLatin1String("offsets")).toArray();
    if (offs.isEmpty())
        return makeError("\"offsets\" must list where each window starts").inFile(path);
    const std::string want = o.value(QLatin1String("sha256_int32le")).toString().toStdString();
    if (!want.empty() && sha256OfIds(tokens.data(), tokens.size()) != want)
        return makeError("the text does not tokenize to the ids this windows file was made from (sha256 differs): another text "
                         "or another tokenizer")
            .inFile(path);
    const int64_t n = static_cast<int64_t>(tokens.size());
    for (const QJsonValue v : offs) {
        const int64_t off = v.toInteger(-1);
        if (!v.isDouble() || off < 0 || off + c.window > n)
            return makeError("offset " + std::to_string(off) + " does not start a whole window in the " + std::to_string(n) + " tokens")
                .inFile(path);
        c.offsets.push_back(off);
        c.ids.insert(c.ids.end(), tokens.begin() + off, tokens.begin() + off + c.window);
    }
    const std::string wantWindows = o.value(QLatin1String("windows_sha256_int32le")).toString().toStdString();
    if (!wantWindows.empty() && sha256OfIds(c.ids.data(), c.ids.size()) != wantWindows)
        return makeError("the windows' ids differ from the ones this file was made with").inFile(path);
    return c;
}

} // namespace qs
