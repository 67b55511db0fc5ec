# The Stan side of `npm run bench -- --vs stan` (bench/vsStan.ts): one
# long-lived rstan process that reads commands on stdin, one per line, fields
# separated by tabs, and answers each with exactly one line that starts with
# "@@sampo " (anything else it prints is rstan's chatter, logged by the
# caller). It stays alive across runs so that R's startup and the loading of
# rstan (several seconds) are paid once, not once per seed.
#
#   compile <name> <stan file> <cache .rds>   -> @@sampo ok cached | @@sampo ok compiled <seconds>
#   run <name> <R dump data file or -> <seed> <warmup> <draws> <csv file>
#                                             -> @@sampo ok
#   quit
# Any failure answers "@@sampo error <message>" and the process goes on.

suppressPackageStartupMessages(library(rstan))
# Debian's r-cran-rstan does not find its Boost headers by itself.
rstan_options(boost_lib = "/usr/include")

models <- list()

reply <- function(...) {
  cat("@@sampo", ..., "\n")
  flush(stdout())
}

# A compiled model from the cache when it loads, else compiled (about a
# minute) and cached. A cache written by another rstan may fail to load: then
# it is simply rebuilt.
compile_model <- function(name, stan_file, cache) {
  if (file.exists(cache)) {
    sm <- tryCatch(readRDS(cache), error = function(e) NULL)
    if (!is.null(sm)) {
      models[[name]] <<- sm
      return("cached")
    }
  }
  t0 <- proc.time()[["elapsed"]]
  sm <- stan_model(file = stan_file, model_name = name)
  saveRDS(sm, cache)
  models[[name]] <<- sm
  sprintf("compiled %.1f", proc.time()[["elapsed"]] - t0)
}

# One chain with the protocol's settings. The draws, warm-up included, and
# Stan's own timing go to the CSV file, which the caller reads.
run_model <- function(name, data_file, seed, warmup, draws, csv) {
  data <- if (data_file == "-") list() else read_rdump(data_file)
  sampling(
    models[[name]], data = data, chains = 1, cores = 1,
    iter = warmup + draws, warmup = warmup, seed = seed,
    save_warmup = TRUE, sample_file = csv, refresh = 0,
    control = list(adapt_delta = 0.8, max_treedepth = 10, metric = "diag_e")
  )
  invisible(NULL)
}

con <- file("stdin")
open(con)
while (length(line <- readLines(con, n = 1)) > 0) {
  args <- strsplit(line, "\t", fixed = TRUE)[[1]]
  if (length(args) == 0) next
  if (args[1] == "quit") break
  out <- tryCatch({
    if (args[1] == "compile") {
      paste("ok", compile_model(args[2], args[3], args[4]))
    } else if (args[1] == "run") {
      run_model(args[2], args[3], as.integer(args[4]), as.integer(args[5]), as.integer(args[6]), args[7])
      "ok"
    } else {
      paste("error unknown command", args[1])
    }
  }, error = function(e) paste("error", gsub("[\r\n]+", " ", conditionMessage(e))))
  reply(out)
}
