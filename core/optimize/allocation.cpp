#include "optimize/allocation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace qs {

namespace {

// One decision: a tensor, or a group of tensors that share a format. Its options are summed over its members.
struct Item {
    std::vector<size_t> members;
    std::vector<std::string> formats;           // option -> format id
    std::vector<std::vector<int>> memberChoice; // option -> per member, the candidate index
    std::vector<uint64_t> bytes;
    std::vector<double> cost;
    std::vector<int> hull;                      // options on the lower convex hull, by increasing bytes
};

int candidateOf(const AllocationTensor &t, const std::string &format)
{
    for (size_t i = 0; i < t.candidates.size(); ++i)
        if (t.candidates[i].format == format)
            return static_cast<int>(i);
    return -1;
}

// the lower-left convex hull of (bytes, cost): dominated options (more bytes, no less cost) and those above the
// segment between their neighbours never win for any price
std::vector<int> lowerHull(const Item &it)
{
    std::vector<int> order(it.bytes.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return it.bytes[a] != it.bytes[b] ? it.bytes[a] < it.bytes[b] : it.cost[a] < it.cost[b];
    });
    std::vector<int> h;
    for (int o : order) {
        if (!h.empty() && it.cost[o] >= it.cost[h.back()])
            continue; // no cheaper in cost for its extra bytes
        while (h.size() >= 2) {
            const int a = h[h.size() - 2], b = h.back();
            // b is above the segment a-o: (b - a) x (o - a) <= 0 in (bytes, cost)
            const double x1 = static_cast<double>(it.bytes[b]) - static_cast<double>(it.bytes[a]), y1 = it.cost[b] - it.cost[a];
            const double x2 = static_cast<double>(it.bytes[o]) - static_cast<double>(it.bytes[a]), y2 = it.cost[o] - it.cost[a];
            if (x1 * y2 - y1 * x2 <= 0)
                h.pop_back();
            else
                break;
        }
        h.push_back(o);
    }
    return h;
}

// the hull position of least cost + lambda * bytes
size_t bestAt(const Item &it, double lambda)
{
    size_t best = 0;
    double bestValue = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < it.hull.size(); ++k) {
        const int o = it.hull[k];
        const double v = it.cost[o] + lambda * static_cast<double>(it.bytes[o]);
        if (v < bestValue) {
            bestValue = v;
            best = k;
        }
    }
    return best;
}

constexpr int64_t kUnits = 8192;

// least total cost with sum(ceil(bytes / unit)) <= kUnits; empty when no choice fits that way
std::vector<int> knapsack(const std::vector<Item> &items, uint64_t budget)
{
    if (items.empty() || budget == 0)
        return {};
    const double unit = static_cast<double>(budget) / kUnits;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> best(kUnits + 1, inf), next(kUnits + 1);
    best[0] = 0;
    std::vector<std::vector<int16_t>> from(items.size(), std::vector<int16_t>(kUnits + 1, -1));
    for (size_t i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        std::fill(next.begin(), next.end(), inf);
        for (size_t o = 0; o < it.bytes.size() && o < 32767; ++o) {
            const int64_t w = static_cast<int64_t>(std::ceil(static_cast<double>(it.bytes[o]) / unit));
            for (int64_t u = 0; u + w <= kUnits; ++u) {
                if (best[static_cast<size_t>(u)] == inf)
                    continue;
                const double v = best[static_cast<size_t>(u)] + it.cost[o];
                if (v < next[static_cast<size_t>(u + w)]) {
                    next[static_cast<size_t>(u + w)] = v;
                    from[i][static_cast<size_t>(u + w)] = static_cast<int16_t>(o);
                }
            }
        }
        best.swap(next);
    }
    int64_t end = -1;
    for (int64_t u = 0; u <= kUnits; ++u)
        if (best[static_cast<size_t>(u)] < inf && (end < 0 || best[static_cast<size_t>(u)] < best[static_cast<size_t>(end)]))
            end = u;
    if (end < 0)
        return {};
    std::vector<int> pick(items.size());
    for (size_t i = items.size(); i-- > 0;) {
        const int o = from[i][static_cast<size_t>(end)];
        pick[i] = o;
        end -= static_cast<int64_t>(std::ceil(static_cast<double>(items[i].bytes[static_cast<size_t>(o)]) / unit));
    }
    return pick;
}

// moves to any option of less cost while the exact bytes still fit, best cost saved per byte first
void spendLeftover(const std::vector<Item> &items, uint64_t budget, std::vector<int> &pick)
{
    uint64_t used = 0;
    for (size_t i = 0; i < items.size(); ++i)
        used += items[i].bytes[static_cast<size_t>(pick[i])];
    for (;;) {
        size_t bi = items.size();
        int bo = -1;
        double bestRate = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            const Item &it = items[i];
            const size_t a = static_cast<size_t>(pick[i]);
            for (size_t o = 0; o < it.bytes.size(); ++o) {
                if (it.cost[o] >= it.cost[a])
                    continue;
                const uint64_t extra = it.bytes[o] > it.bytes[a] ? it.bytes[o] - it.bytes[a] : 0;
                if (used - it.bytes[a] + it.bytes[o] > budget)
                    continue;
                const double rate = (it.cost[a] - it.cost[o]) / static_cast<double>(std::max<uint64_t>(extra, 1));
                if (rate > bestRate) {
                    bestRate = rate;
                    bi = i;
                    bo = static_cast<int>(o);
                }
            }
        }
        if (bi == items.size())
            return;
        used = used - items[bi].bytes[static_cast<size_t>(pick[bi])] + items[bi].bytes[static_cast<size_t>(bo)];
        pick[bi] = bo;
    }
}

// pairs of moves (one item up, another down, or both) on the exact bytes, the largest saving first, until none
// saves anything: what the knapsack's rounding leaves in the last few bytes
void improvePairs(const std::vector<Item> &items, uint64_t budget, std::vector<int> &pick)
{
    int64_t used = 0;
    for (size_t i = 0; i < items.size(); ++i)
        used += static_cast<int64_t>(items[i].bytes[static_cast<size_t>(pick[i])]);
    for (int round = 0; round < 10000; ++round) {
        double bestGain = 1e-15;
        size_t bi = 0, bj = 0;
        int boi = -1, boj = -1;
        for (size_t i = 0; i < items.size(); ++i) {
            const Item &a = items[i];
            const size_t ai = static_cast<size_t>(pick[i]);
            for (size_t oi = 0; oi < a.bytes.size(); ++oi) {
                if (oi == ai)
                    continue;
                const double gi = a.cost[ai] - a.cost[oi];
                const int64_t di = static_cast<int64_t>(a.bytes[oi]) - static_cast<int64_t>(a.bytes[ai]);
                for (size_t j = i + 1; j < items.size(); ++j) {
                    const Item &b = items[j];
                    const size_t aj = static_cast<size_t>(pick[j]);
                    for (size_t oj = 0; oj < b.bytes.size(); ++oj) {
                        if (oj == aj)
                            continue;
                        const double g = gi + b.cost[aj] - b.cost[oj];
                        if (g <= bestGain)
                            continue;
                        if (used + di + static_cast<int64_t>(b.bytes[oj]) - static_cast<int64_t>(b.bytes[aj]) > static_cast<int64_t>(budget))
                            continue;
                        bestGain = g;
                        bi = i, bj = j, boi = static_cast<int>(oi), boj = static_cast<int>(oj);
                    }
                }
            }
        }
        if (boi < 0)
            return;
        used += static_cast<int64_t>(items[bi].bytes[static_cast<size_t>(boi)]) - static_cast<int64_t>(items[bi].bytes[static_cast<size_t>(pick[bi])]);
        used += static_cast<int64_t>(items[bj].bytes[static_cast<size_t>(boj)]) - static_cast<int64_t>(items[bj].bytes[static_cast<size_t>(pick[bj])]);
        pick[bi] = boi;
        pick[bj] = boj;
    }
}

// Options of a kind group: for each kind every member can take, the combinations of each member's own choices of that
// kind. Only non-dominated choices matter (another of no more bytes and no more cost is never worse), per member and
// then over the combinations, which keeps the item small: for q/k/v with six formats each, a few dozen options.
template <typename Usable>
void addKindOptions(const std::vector<AllocationTensor> &ts, Item &it, Usable usable)
{
    std::vector<std::string> kinds;
    for (const AllocationCandidate &c : ts[it.members.front()].candidates)
        if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end())
            kinds.push_back(c.kind);
    struct Option {
        uint64_t bytes;
        double cost;
        std::vector<int> choice;
    };
    std::vector<Option> all;
    for (const std::string &kind : kinds) {
        std::vector<std::vector<int>> perMember;
        bool ok = true;
        size_t combinations = 1;
        for (size_t m : it.members) {
            const AllocationTensor &t = ts[m];
            std::vector<int> own;
            for (size_t k = 0; k < t.candidates.size(); ++k)
                if (t.candidates[k].kind == kind && usable(t, t.candidates[k]))
                    own.push_back(static_cast<int>(k));
            std::sort(own.begin(), own.end(), [&](int a, int b) {
                const auto &x = t.candidates[static_cast<size_t>(a)], &y = t.candidates[static_cast<size_t>(b)];
                return x.bytes != y.bytes ? x.bytes < y.bytes : x.cost < y.cost;
            });
            std::vector<int> front; // fewer bytes first, each strictly cheaper in cost than the one before
            for (int k : own)
                if (front.empty() || t.candidates[static_cast<size_t>(k)].cost < t.candidates[static_cast<size_t>(front.back())].cost)
                    front.push_back(k);
            if (front.empty()) {
                ok = false;
                break;
            }
            combinations *= front.size();
            perMember.push_back(std::move(front));
        }
        if (!ok || combinations > 1u << 16)
            continue; // 2^16 combinations would take seconds; no runtime fuses so many tensors
        std::vector<size_t> digit(perMember.size(), 0);
        for (size_t n = 0; n < combinations; ++n) {
            Option o{0, 0, {}};
            for (size_t m = 0; m < perMember.size(); ++m) {
                const int k = perMember[m][digit[m]];
                const AllocationCandidate &c = ts[it.members[m]].candidates[static_cast<size_t>(k)];
                o.bytes += c.bytes;
                o.cost += c.cost;
                o.choice.push_back(k);
            }
            all.push_back(std::move(o));
            for (size_t m = 0; m < digit.size() && ++digit[m] == perMember[m].size(); ++m)
                digit[m] = 0;
        }
    }
    std::sort(all.begin(), all.end(), [](const Option &a, const Option &b) { return a.bytes != b.bytes ? a.bytes < b.bytes : a.cost < b.cost; });
    for (Option &o : all) {
        if (!it.cost.empty() && o.cost >= it.cost.back())
            continue; // dominated by a combination of no more bytes
        std::string name;
        for (size_t m = 0; m < o.choice.size(); ++m)
            name += (m ? "+" : "") + ts[it.members[m]].candidates[static_cast<size_t>(o.choice[m])].format;
        it.formats.push_back(name);
        it.bytes.push_back(o.bytes);
        it.cost.push_back(o.cost);
        it.memberChoice.push_back(std::move(o.choice));
    }
}

} // namespace

Result<Allocation> allocate(const AllocationProblem &problem)
{
    const auto &ts = problem.tensors;
    // items: groups collected by id, kind groups by theirs, then single tensors
    std::vector<Item> items;
    std::vector<bool> byKind; // per item: a kind group
    std::map<int, size_t> itemOfGroup, itemOfKindGroup;
    for (size_t i = 0; i < ts.size(); ++i) {
        if (ts[i].candidates.empty())
            return makeError("tensor " + ts[i].name + " has no format to choose from");
        if (ts[i].group >= 0 && ts[i].kindGroup >= 0)
            return makeError("tensor " + ts[i].name + " is in a group and a kind group; it can be in one only");
        if (ts[i].group >= 0 || ts[i].kindGroup >= 0) {
            auto &index = ts[i].group >= 0 ? itemOfGroup : itemOfKindGroup;
            auto [it, fresh] = index.emplace(ts[i].group >= 0 ? ts[i].group : ts[i].kindGroup, items.size());
            if (fresh) {
                items.emplace_back();
                byKind.push_back(ts[i].kindGroup >= 0);
            }
            items[it->second].members.push_back(i);
        } else {
            items.emplace_back();
            byKind.push_back(false);
            items.back().members.push_back(i);
        }
    }
    // a candidate the tensor may take: measured (a finite cost) and allowed by its pin
    auto usable = [&](const AllocationTensor &t, const AllocationCandidate &c) {
        return std::isfinite(c.cost) && (t.pinned.empty() || t.pinned == c.format);
    };
    for (size_t itemIndex = 0; itemIndex < items.size(); ++itemIndex) {
        Item &it = items[itemIndex];
        if (byKind[itemIndex]) {
            addKindOptions(ts, it, usable);
        } else {
            // the formats every member can take (and that every pin in the group allows)
            const AllocationTensor &first = ts[it.members.front()];
            for (const AllocationCandidate &c : first.candidates) {
                std::vector<int> choice;
                bool ok = true;
                for (size_t m : it.members) {
                    const int k = candidateOf(ts[m], c.format);
                    // a format without a finite cost was not measured for this tensor (or cannot hold it): not an option
                    if (k < 0 || !usable(ts[m], ts[m].candidates[static_cast<size_t>(k)])) {
                        ok = false;
                        break;
                    }
                    choice.push_back(k);
                }
                if (!ok || std::find(it.formats.begin(), it.formats.end(), c.format) != it.formats.end())
                    continue;
                uint64_t bytes = 0;
                double cost = 0;
                for (size_t m = 0; m < it.members.size(); ++m) {
                    const AllocationCandidate &mc = ts[it.members[m]].candidates[static_cast<size_t>(choice[m])];
                    bytes += mc.bytes;
                    cost += mc.cost;
                }
                it.formats.push_back(c.format);
                it.memberChoice.push_back(std::move(choice));
                it.bytes.push_back(bytes);
                it.cost.push_back(cost);
            }
        }
        if (it.formats.empty()) {
            std::string names;
            for (size_t m : it.members)
                names += (names.empty() ? "" : ", ") + ts[m].name;
            if (byKind[itemIndex])
                return makeError("the tensors " + names + " must all take formats of one kind (a runtime fuses them), but no kind suits "
                                 "all of them (and their pins)");
            return makeError(it.members.size() > 1 ? "the tensors " + names + " must share a format, but no format suits all of them (and their pins)"
                                                   : "tensor " + names + " is pinned to " + ts[it.members.front()].pinned +
                                                         ", which is not among its formats");
        }
        it.hull = lowerHull(it);
    }

    Allocation out;
    for (const Item &it : items) {
        out.minimumBytes += *std::min_element(it.bytes.begin(), it.bytes.end());
        out.maximumBytes += *std::max_element(it.bytes.begin(), it.bytes.end());
    }
    if (out.minimumBytes > problem.budget)
        return makeError("the budget of " + std::to_string(problem.budget) + " bytes is too small: the smallest formats take " +
                         std::to_string(out.minimumBytes) + " bytes");

    auto bytesAt = [&](double lambda) {
        uint64_t b = 0;
        for (const Item &it : items)
            b += it.bytes[static_cast<size_t>(it.hull[bestAt(it, lambda)])];
        return b;
    };
    // bisection on the price: at 0 every item takes its least cost (the most bytes on the hull); at hi the fewest
    double lo = 0, hi = 1;
    if (bytesAt(0) > problem.budget) {
        while (bytesAt(hi) > problem.budget && hi < 1e300)
            hi *= 2;
        for (int i = 0; i < 200 && hi - lo > hi * 1e-12; ++i) {
            const double mid = 0.5 * (lo + hi);
            (bytesAt(mid) > problem.budget ? lo : hi) = mid;
        }
    } else {
        hi = 0;
    }
    out.lambda = hi;
    std::vector<size_t> pos(items.size());
    uint64_t used = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        pos[i] = bestAt(items[i], hi);
        used += items[i].bytes[static_cast<size_t>(items[i].hull[pos[i]])];
    }
    // spend what is left on the hull steps that save the most cost per byte and still fit
    for (;;) {
        size_t bestItem = items.size();
        double bestRate = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            const Item &it = items[i];
            if (pos[i] + 1 >= it.hull.size())
                continue;
            const int a = it.hull[pos[i]], b = it.hull[pos[i] + 1];
            const uint64_t extra = it.bytes[static_cast<size_t>(b)] - it.bytes[static_cast<size_t>(a)];
            if (used + extra > problem.budget)
                continue;
            const double rate = (it.cost[static_cast<size_t>(a)] - it.cost[static_cast<size_t>(b)]) / static_cast<double>(std::max<uint64_t>(extra, 1));
            if (rate > bestRate) {
                bestRate = rate;
                bestItem = i;
            }
        }
        if (bestItem == items.size())
            break;
        const Item &it = items[bestItem];
        used += it.bytes[static_cast<size_t>(it.hull[pos[bestItem] + 1])] - it.bytes[static_cast<size_t>(it.hull[pos[bestItem]])];
        ++pos[bestItem];
    }

    // the relaxation's answer, as option indices
    std::vector<int> pick(items.size());
    double relaxedCost = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        pick[i] = items[i].hull[pos[i]];
        relaxedCost += items[i].cost[static_cast<size_t>(pick[i])];
    }
    // a knapsack over every option (not only the hull), bytes rounded up to 1/kUnits of the budget so any choice it
    // finds fits; on few or coarse items the relaxation can leave a large step unused, this cannot
    const std::vector<int> exact = knapsack(items, problem.budget);
    if (!exact.empty()) {
        double exactCost = 0;
        uint64_t exactBytes = 0;
        for (size_t i = 0; i < items.size(); ++i) {
            exactCost += items[i].cost[static_cast<size_t>(exact[i])];
            exactBytes += items[i].bytes[static_cast<size_t>(exact[i])];
        }
        if (exactCost < relaxedCost && exactBytes <= problem.budget) // the rounding is up, but floating point is checked
            pick = exact;
    }
    spendLeftover(items, problem.budget, pick);
    improvePairs(items, problem.budget, pick);
    spendLeftover(items, problem.budget, pick);

    out.choice.assign(ts.size(), -1);
    for (size_t i = 0; i < items.size(); ++i) {
        const Item &it = items[i];
        const size_t o = static_cast<size_t>(pick[i]);
        for (size_t m = 0; m < it.members.size(); ++m)
            out.choice[it.members[m]] = it.memberChoice[o][m];
        out.bytes += it.bytes[o];
        out.cost += it.cost[o];
    }
    return out;
}

} // namespace qs
