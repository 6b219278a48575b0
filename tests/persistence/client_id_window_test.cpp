// client_id_window: the writer's in-memory client ids, without SQLite.

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "persistence/client_id_window.hpp"

using kurir::persistence::client_id_window;

TEST_CASE("the window finds what it holds, per sender",
          "[persistence][client_ids]") {
  client_id_window w;
  CHECK(w.add("alice", "1", 10));
  CHECK(w.add("bob", "1", 11));
  CHECK_FALSE(w.add("alice", "1", 12)); // a key is held once
  CHECK(w.size() == 2);
  CHECK(w.find("alice", "1") == 10);
  CHECK(w.find("bob", "1") == 11);
  CHECK_FALSE(w.find("carol", "1"));
  CHECK_FALSE(w.find("alice", "2"));
  // "a" + "b1" is not "ab" + "1": the two parts are compared apart.
  CHECK(w.add("a", "b1", 13));
  CHECK_FALSE(w.find("ab", "1"));
}

TEST_CASE("slices leave in key order and visit every key in turn",
          "[persistence][client_ids]") {
  client_id_window w;
  w.add("carol", "1", 1);
  w.add("alice", "2", 2);
  w.add("bob", "1", 3);
  w.add("alice", "1", 4);
  auto first = w.take_slice(2);
  REQUIRE(first.size() == 2);
  CHECK(first[0].sender == "alice");
  CHECK(first[0].client_id == "1");
  CHECK(first[0].id == 4);
  CHECK(first[1].client_id == "2");
  CHECK(w.size() == 2);
  CHECK_FALSE(w.find("alice", "1"));
  // New keys before the resume point wait for the next lap.
  w.add("aaron", "1", 5);
  auto second = w.take_slice(2);
  REQUIRE(second.size() == 2);
  CHECK(second[0].sender == "bob");
  CHECK(second[1].sender == "carol");
  // The lap wraps around to the start; a slice never exceeds the window.
  auto third = w.take_slice(10);
  REQUIRE(third.size() == 1);
  CHECK(third[0].sender == "aaron");
  CHECK(w.size() == 0);
  CHECK(w.take_slice(3).empty());
}

TEST_CASE("a slice that wraps around is still sorted",
          "[persistence][client_ids]") {
  client_id_window w;
  for (int i = 0; i < 6; ++i)
    w.add("u" + std::to_string(i), "x", i + 1);
  REQUIRE(w.take_slice(4).size() == 4); // u0..u3; resumes after u3
  w.add("u0", "y", 7);
  auto slice = w.take_slice(3); // u4, u5, then wraps to u0/y
  REQUIRE(slice.size() == 3);
  CHECK(slice[0].sender == "u0");
  CHECK(slice[1].sender == "u4");
  CHECK(slice[2].sender == "u5");
}

TEST_CASE("merged_upto is below the oldest id still held",
          "[persistence][client_ids]") {
  client_id_window w;
  CHECK(w.merged_upto() == 0);
  w.saw_id(40); // the newest message at load time
  CHECK(w.merged_upto() == 40);
  w.add("bob", "b", 42);
  w.add("alice", "a", 50);
  CHECK(w.merged_upto() == 41);
  w.take_slice(1); // alice/a, id 50: 42 is still held
  CHECK(w.merged_upto() == 41);
  w.take_slice(1); // bob/b: nothing held, everything up to 50 is merged
  CHECK(w.merged_upto() == 50);
  w.clear();
  CHECK(w.size() == 0);
  CHECK(w.merged_upto() == 0);
}
