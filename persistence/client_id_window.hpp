#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kurir::persistence {

/// The client ids of the newest messages, kept in memory by the only
/// writer so that storing a message does not also insert into an index
/// ordered by sender (a random page of it per sender per commit, about half
/// of the WAL frames a message cost with schema version 3).
///
/// The durable side (sqlite_client_ids.cpp): every message row holds its
/// client id; the `client_ids` table maps (sender, client id) to a message
/// id for every merged entry; `meta.client_ids_upto` is an id such that
/// every message at or below it with a client id is in `client_ids`. The
/// window holds exactly the others, so it can always be rebuilt from the
/// rows above that id. Entries leave the window in slices of neighbouring
/// keys (`take_slice`), so a merge writes a few pages of `client_ids`
/// instead of one page per sender.
///
/// Plain code: no SQLite, testable alone.
class client_id_window {
public:
  /// One client id: who sent it, the id they chose, the message it named.
  struct entry {
    std::string sender;
    std::string client_id;
    int64_t id = 0;
  };

  /// Returns the message id stored for (`sender`, `client_id`), if here.
  std::optional<int64_t> find(std::string_view sender,
                              std::string_view client_id) const;

  /// Adds an entry; `id` must be new. Returns false (and changes nothing)
  /// if the key is here already.
  bool add(std::string_view sender, std::string_view client_id, int64_t id);

  /// Returns how many entries are here.
  std::size_t size() const noexcept { return by_key_.size(); }

  /// Removes and returns up to `n` entries in key order, starting after the
  /// key the previous slice ended with and wrapping around at the end, so
  /// that successive slices visit every key in turn.
  std::vector<entry> take_slice(std::size_t n);

  /// Returns the largest id at or below which no entry is here: the
  /// smallest id held minus one, or the newest id seen if empty. Looks at
  /// every entry: call it once in a while, not per message.
  int64_t merged_upto() const noexcept;

  /// Records that messages up to `id` exist (the newest id at load time);
  /// `merged_upto` of an empty window is the newest id seen.
  void saw_id(int64_t id) noexcept;

  /// Forgets every entry (the window is to be loaded again).
  void clear();

private:
  /// A key is "<sender>\0<client id>": one string, one allocation at most,
  /// and ordered as the pair, since a name never holds a NUL (it sorts
  /// before every character a name may hold).
  struct less {
    using is_transparent = void;
    bool operator()(const std::string& a, const std::string& b) const {
      return a < b;
    }
    /// Compares a key with a (sender, client id) pair of views.
    using views = std::pair<std::string_view, std::string_view>;
    bool operator()(const std::string& a, const views& b) const {
      return compare(a, b) < 0;
    }
    bool operator()(const views& a, const std::string& b) const {
      return compare(b, a) > 0;
    }
    static int compare(std::string_view key, const views& v);
  };
  std::map<std::string, int64_t, less> by_key_;
  std::string resume_after_; ///< the last key of the previous slice
  int64_t newest_ = 0;
};

} // namespace kurir::persistence
