#include "jobs/job_control.h"

namespace qs {

const char *progressUnitName(ProgressUnit unit)
{
    switch (unit) {
    case ProgressUnit::Bytes: return "bytes";
    case ProgressUnit::Tokens: return "tokens";
    case ProgressUnit::Layers: return "layers";
    case ProgressUnit::Tensors: return "tensors";
    case ProgressUnit::Steps: return "steps";
    }
    return "steps";
}

void JobControl::beginStage(std::string stage, uint64_t total, ProgressUnit unit)
{
    std::lock_guard lock(m_mutex);
    m_state = JobProgress{0, total, unit, std::move(stage), {}};
}

void JobControl::advance(uint64_t n, const std::string &item)
{
    std::lock_guard lock(m_mutex);
    m_state.done += n;
    m_state.item = item;
    if (m_progress)
        m_progress(m_state);
}

JobProgress JobControl::progress() const
{
    std::lock_guard lock(m_mutex);
    return m_state;
}

Error cancelledError(const std::string &what)
{
    Error e = makeError("cancelled" + (what.empty() ? std::string() : "; " + what));
    e.kind = ErrorKind::Cancelled;
    return e;
}

} // namespace qs
