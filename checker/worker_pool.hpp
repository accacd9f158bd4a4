// A fixed set of worker threads that run one parallel loop at a time: the
// calling thread takes part, and run() returns when every task is done.
// Tasks are handed out by an atomic counter, so which thread runs which task
// varies from run to run; the explorer makes its results independent of that.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fsrace::checker {

class WorkerPool {
 public:
  using Task = std::function<void(std::size_t task, unsigned worker)>;

  explicit WorkerPool(unsigned threads) : threads_(threads == 0 ? 1 : threads) {
    for (unsigned w = 1; w < threads_; ++w) helpers_.emplace_back([this, w] { helperLoop(w); });
  }

  ~WorkerPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& t : helpers_) t.join();
  }

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned threads() const { return threads_; }

  // Runs task(i, worker) for every i in [0, tasks); worker is in [0, threads()).
  // The first exception a task throws is rethrown here once all have stopped.
  void run(std::size_t tasks, const Task& task) {
    if (threads_ == 1 || tasks <= 1) {
      for (std::size_t i = 0; i < tasks; ++i) task(i, 0);
      return;
    }
    {
      std::lock_guard lock(mutex_);
      task_ = &task;
      tasks_ = tasks;
      next_.store(0, std::memory_order_relaxed);
      busy_.store(threads_ - 1, std::memory_order_relaxed);
      error_ = nullptr;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work(0);
    // The explorer runs a few parallel loops per batch of states: a short
    // spin before sleeping saves a wake-up each time the helpers finish
    // within microseconds of this thread.
    for (int spin = 0; spin < kSpins && busy_.load(std::memory_order_acquire) != 0; ++spin) pause();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return busy_.load(std::memory_order_acquire) == 0; });
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work(unsigned worker) {
    for (;;) {
      std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= tasks_) return;
      try {
        (*task_)(i, worker);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
        next_.store(tasks_, std::memory_order_relaxed);  // stop handing out tasks
      }
    }
  }

  void helperLoop(unsigned worker) {
    std::size_t seen = 0;
    for (;;) {
      for (int spin = 0; spin < kSpins && generation_.load(std::memory_order_acquire) == seen; ++spin) pause();
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_) return;
      }
      work(worker);
      {
        std::lock_guard lock(mutex_);
        busy_.fetch_sub(1, std::memory_order_release);
      }
      done_.notify_one();
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  static constexpr int kSpins = 4000;  // a few microseconds

  unsigned threads_;
  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const Task* task_ = nullptr;
  std::size_t tasks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<unsigned> busy_{0};
  std::atomic<std::size_t> generation_{0};
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace fsrace::checker
