// Errors as values. Every failure carries what a person needs to act on it: the file, the tensor, the byte
// offset and what was expected. Parsers return Result<T>; nothing in core throws across its API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace qs {

// Failed: the input was bad or the work went wrong. Cancelled: the person asked the job to stop; nothing is wrong.
enum class ErrorKind { Failed, Cancelled };

struct Error {
    ErrorKind kind = ErrorKind::Failed;
    std::string message;  // what went wrong and what was expected, in words
    std::string file;     // the file it concerns, if any
    std::string tensor;   // the tensor it concerns, if any
    int64_t offset = -1;  // the byte offset in `file`, if known

    // "model.safetensors: tensor 'x' at byte 1234: shape [2, 3] needs 12 bytes but data_offsets span 10"
    std::string describe() const;
    bool cancelled() const { return kind == ErrorKind::Cancelled; }

    Error &inFile(std::string f) { if (file.empty()) file = std::move(f); return *this; }
    Error &atOffset(int64_t o) { if (offset < 0) offset = o; return *this; }
    Error &forTensor(std::string t) { if (tensor.empty()) tensor = std::move(t); return *this; }
};

inline Error makeError(std::string message, int64_t offset = -1)
{
    Error e;
    e.message = std::move(message);
    e.offset = offset;
    return e;
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_v); }
    Error &error() { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() { return Status(Ok{}); }

} // namespace qs
