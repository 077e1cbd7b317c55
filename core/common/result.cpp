#include "common/result.h"

namespace qs {

std::string Error::describe() const
{
    std::string out;
    if (!file.empty())
        out += file;
    if (!tensor.empty()) {
        if (!out.empty())
            out += ": ";
        out += "tensor '" + tensor + "'";
    }
    if (offset >= 0) {
        out += out.empty() ? "at byte " : " at byte ";
        out += std::to_string(offset);
    }
    if (!out.empty())
        out += ": ";
    out += message;
    return out;
}

} // namespace qs
