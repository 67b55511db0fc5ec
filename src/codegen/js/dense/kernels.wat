;; Dense kernels of the JavaScript backend, in WebAssembly with 128-bit SIMD
;; (two float64 lanes). scripts/buildWasm.ts assembles this file into
;; kernels.ts; test/codegen/js/dense.test.ts checks the two agree.
;;
;; Matrices are row-major; every pointer is a byte offset into the memory the
;; caller imports (one per density, holding its data and buffers).
(module
  (import "env" "memory" (memory 1))

  ;; y[i] = Σₖ X[i·K + k] · x[k]  for i < N (a matrix times a vector).
  ;; Two two-lane sums per row, so consecutive adds do not wait on each other.
  (func (export "gemv") (param $X i32) (param $x i32) (param $y i32) (param $N i32) (param $K i32)
    (local $i i32) (local $k i32) (local $row i32) (local $K4 i32) (local $a v128) (local $b v128) (local $s f64)
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $row (local.get $X))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $N)))
        (local.set $a (v128.const f64x2 0 0))
        (local.set $b (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.ge_u (local.get $k) (local.get $K4)))
            (local.set $a (f64x2.add (local.get $a)
              (f64x2.mul (v128.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                         (v128.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $b (f64x2.add (local.get $b)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                         (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $quads)))
        (local.set $a (f64x2.add (local.get $a) (local.get $b)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))
                       (f64.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $tail)))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $K) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; y[k] = Σᵢ X[i·K + k] · v[i]  for k < K (a vector times a matrix, i.e. Xᵀv).
  ;; Two columns at a time down all rows, with sums for even and odd rows
  ;; apart; an odd last column by itself.
  (func (export "gemvT") (param $X i32) (param $v i32) (param $y i32) (param $N i32) (param $K i32)
    (local $i i32) (local $k i32) (local $p i32) (local $stride i32) (local $N2 i32)
    (local $a v128) (local $b v128) (local $s f64) (local $t f64)
    (local.set $stride (i32.shl (local.get $K) (i32.const 3)))
    (local.set $N2 (i32.and (local.get $N) (i32.const -2)))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $k) (i32.const 2)) (local.get $K)))
        (local.set $a (v128.const f64x2 0 0))
        (local.set $b (v128.const f64x2 0 0))
        (local.set $p (i32.add (local.get $X) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $N2)))
            (local.set $a (f64x2.add (local.get $a)
              (f64x2.mul (v128.load (local.get $p))
                         (v128.load64_splat (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $b (f64x2.add (local.get $b)
              (f64x2.mul (v128.load (i32.add (local.get $p) (local.get $stride)))
                         (v128.load64_splat offset=8 (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $stride) (i32.const 1))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        (if (i32.lt_u (local.get $i) (local.get $N))
          (then
            (local.set $a (f64x2.add (local.get $a)
              (f64x2.mul (v128.load (local.get $p))
                         (v128.load64_splat (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))))))
        (v128.store (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 3))) (f64x2.add (local.get $a) (local.get $b)))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $k) (local.get $K))
      (then
        (local.set $p (i32.add (local.get $X) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $i (i32.const 0))
        (block $col_done
          (loop $col
            (br_if $col_done (i32.ge_u (local.get $i) (local.get $N)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (local.get $p)) (f64.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))))))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 3))) (local.get $s)))))
)
