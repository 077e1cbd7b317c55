#include "io/sentencepiece_model.h"

#include <cstring>

namespace qs {

namespace {

struct Reader {
    const uint8_t *p, *end;
    bool varint(uint64_t &v)
    {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end)
                return false;
            const uint8_t b = *p++;
            v |= static_cast<uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false;
    }
    // Skips a field of wire type `wt`; false if it does not fit.
    bool skip(uint64_t wt)
    {
        uint64_t n = 0;
        switch (wt) {
        case 0: return varint(n);
        case 1: n = 8; break;
        case 5: n = 4; break;
        case 2:
            if (!varint(n))
                return false;
            break;
        default: return false; // groups (3, 4) are not used by ModelProto
        }
        if (n > static_cast<uint64_t>(end - p))
            return false;
        p += n;
        return true;
    }
};

} // namespace

Result<std::vector<SpPiece>> parseSentencePieceModel(std::span<const uint8_t> bytes, const std::string &path)
{
    std::vector<SpPiece> pieces;
    Reader r{bytes.data(), bytes.data() + bytes.size()};
    auto fail = [&](const std::string &what) {
        return makeError("not a valid SentencePiece model: " + what, static_cast<int64_t>(r.p - bytes.data())).inFile(path);
    };
    while (r.p < r.end) {
        uint64_t key = 0;
        if (!r.varint(key))
            return fail("truncated field key");
        const uint64_t field = key >> 3, wt = key & 7;
        if (field != 1 || wt != 2) { // only `repeated SentencePiece pieces = 1` matters
            if (!r.skip(wt))
                return fail("field " + std::to_string(field) + " runs past the end");
            continue;
        }
        uint64_t len = 0;
        if (!r.varint(len) || len > static_cast<uint64_t>(r.end - r.p))
            return fail("a piece runs past the end");
        Reader m{r.p, r.p + len};
        r.p += len;
        SpPiece piece;
        bool havePiece = false;
        while (m.p < m.end) {
            uint64_t k = 0;
            if (!m.varint(k))
                return fail("truncated piece");
            const uint64_t f = k >> 3, w = k & 7;
            if (f == 1 && w == 2) {
                uint64_t n = 0;
                if (!m.varint(n) || n > static_cast<uint64_t>(m.end - m.p))
                    return fail("a piece's text runs past its end");
                piece.piece.assign(reinterpret_cast<const char *>(m.p), static_cast<size_t>(n));
                m.p += n;
                havePiece = true;
            } else if (f == 2 && w == 5) {
                if (m.end - m.p < 4)
                    return fail("truncated score");
                std::memcpy(&piece.score, m.p, 4);
                m.p += 4;
            } else if (f == 3 && w == 0) {
                uint64_t t = 0;
                if (!m.varint(t) || t < 1 || t > 6)
                    return fail("unknown piece type " + std::to_string(t));
                piece.type = static_cast<SpPieceType>(t);
            } else if (!m.skip(w)) {
                return fail("a piece field runs past its end");
            }
        }
        if (!havePiece)
            return fail("piece " + std::to_string(pieces.size()) + " has no text");
        pieces.push_back(std::move(piece));
        if (pieces.size() > (1u << 24))
            return fail("more than 16 million pieces");
    }
    if (pieces.empty())
        return fail("no pieces");
    return pieces;
}

} // namespace qs
