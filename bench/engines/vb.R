# The rstan half of `npm run bench:engines` (bench/enginesR.ts): rstan's
# `vb` (ADVI, Stan's defaults) mean-field and full-rank on one benchmark
# model, timed without compilation.
#
#   Rscript vb.R <stan file> <cache .rds> <R dump data file or -> <seed> <out .tsv>
#
# The compiled model is read from the cache .rds (the same file, keyed by the
# Stan code, that `npm run bench -- --vs stan` writes), else compiled (about a
# minute) and saved there. The out file gets, per algorithm, one line
#   <algorithm> status <ok|error> <seconds> <Pareto k or NA> <warnings | error message>
# and on success one line per column of the draws
#   <algorithm> param <name> <mean> <sd>
# All fields are tab-separated. rstan's own chatter goes to stdout/stderr.

suppressPackageStartupMessages(library(rstan))
# Debian's r-cran-rstan does not find its Boost headers by itself.
rstan_options(boost_lib = "/usr/include")

args <- commandArgs(trailingOnly = TRUE)
stan_file <- args[1]
cache <- args[2]
data_file <- args[3]
seed <- as.integer(args[4])
out_file <- args[5]

sm <- if (file.exists(cache)) tryCatch(readRDS(cache), error = function(e) NULL) else NULL
if (is.null(sm)) {
  sm <- stan_model(file = stan_file, model_name = sub("\\.stan$", "", basename(stan_file)))
  saveRDS(sm, cache)
}
data <- if (data_file == "-") list() else read_rdump(data_file)

out <- file(out_file, "w")
line <- function(...) writeLines(paste(..., sep = "\t"), out)
clean <- function(s) gsub("[\t\r\n]+", " ", s)

for (algorithm in c("meanfield", "fullrank")) {
  warned <- character(0)
  t0 <- proc.time()[["elapsed"]]
  fit <- tryCatch(
    withCallingHandlers(
      vb(sm, data = data, algorithm = algorithm, seed = seed, refresh = 0),
      warning = function(w) {
        warned <<- c(warned, conditionMessage(w))
        invokeRestart("muffleWarning")
      }
    ),
    error = function(e) e
  )
  seconds <- proc.time()[["elapsed"]] - t0
  if (inherits(fit, "error")) {
    line(algorithm, "status", "error", seconds, "NA", clean(conditionMessage(fit)))
    next
  }
  # The Pareto k of log p - log g over the draws, as rstan 2.21 computes it (absent: NA).
  khat <- fit@sim$diagnostics$psis$pareto_k
  line(algorithm, "status", "ok", seconds, if (is.null(khat)) NA else khat, clean(paste(warned, collapse = " | ")))
  draws <- as.matrix(fit) # the draws only: rstan keeps the approximation's mean apart
  for (name in colnames(draws)) line(algorithm, "param", name, mean(draws[, name]), sd(draws[, name]))
}
close(out)
