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

  ;; y[i] = e^(x[i]) for i < n (y may be x). t = k·ln2 + r with |r| ≤ ln2/2
  ;; (ln2 in two parts, so k·ln2_hi is exact); e^r by the rational form of
  ;; fdlibm's e_exp.c with its published minimax coefficients P1..P5 (within
  ;; one ulp); then times 2^k as two powers of two, so that e^t reaches the
  ;; subnormals, 0 and ∞ as Math.exp does. Two lanes at a time (an odd last
  ;; element alone).
  (func $exp (export "exp") (param $x i32) (param $y i32) (param $n i32)
    (call $expOf (local.get $x) (local.get $y) (local.get $n) (v128.const i64x2 0 0)))

  ;; y[i] = e^(x[i]) where the lanes of `negAbs` are 0, e^(−|x[i]|) where they are all ones.
  (func $expOf (param $x i32) (param $y i32) (param $n i32) (param $negAbs v128)
    (local $i i32) (local $at i32) (local $pair i32)
    (local $v v128) (local $t v128) (local $kf v128) (local $ki v128) (local $k1 v128) (local $hi v128) (local $lo v128)
    (local $r v128) (local $z v128) (local $z2 v128) (local $c v128) (local $u v128)
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $pair (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
        (local.set $v (if (result v128) (local.get $pair)
          (then (v128.load (i32.add (local.get $x) (local.get $at))))
          (else (v128.load64_zero (i32.add (local.get $x) (local.get $at))))))
        ;; v = −|x| where negAbs says so; t = v clamped to [−746, 710], where e^t is 0 or ∞ all the
        ;; same (pmin and pmax are one instruction each, min and max several; NaN stays NaN)
        (local.set $v (v128.bitselect (f64x2.neg (f64x2.abs (local.get $v))) (local.get $v) (local.get $negAbs)))
        (local.set $t (f64x2.pmin (f64x2.pmax (local.get $v) (f64x2.splat (f64.const -746))) (f64x2.splat (f64.const 710))))
        (local.set $kf (f64x2.nearest (f64x2.mul (local.get $t) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))))
        (local.set $hi (f64x2.sub (local.get $t) (f64x2.mul (local.get $kf) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
        (local.set $lo (f64x2.mul (local.get $kf) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
        (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
        (local.set $z (f64x2.mul (local.get $r) (local.get $r)))
        ;; c = r − z·P(z), P(z) = (P1 + z·P2) + z²·((P3 + z·P4) + z²·P5) (Estrin's scheme: shorter chains than Horner's)
        (local.set $z2 (f64x2.mul (local.get $z) (local.get $z)))
        (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $z) (f64x2.add
          (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01))
            (f64x2.mul (local.get $z) (f64x2.splat (f64.const -2.77777777770155933842e-03))))
          (f64x2.mul (local.get $z2) (f64x2.add
            (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05))
              (f64x2.mul (local.get $z) (f64x2.splat (f64.const -1.65339022054652515390e-06))))
            (f64x2.mul (local.get $z2) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))
        ;; e^r = 1 − ((lo − r·c/(2 − c)) − hi)
        (local.set $u (f64x2.sub (f64x2.splat (f64.const 1))
          (f64x2.sub (f64x2.sub (local.get $lo)
            (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c))))
            (local.get $hi))))
        ;; times 2^k = 2^k1 · 2^(k − k1), k1 = floor(k/2), each built from its exponent bits
        (local.set $ki (i32x4.trunc_sat_f64x2_s_zero (local.get $kf)))
        (local.set $k1 (i32x4.shr_s (local.get $ki) (i32.const 1)))
        (local.set $u (f64x2.mul (f64x2.mul (local.get $u)
          (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (local.get $k1) (i32x4.splat (i32.const 1023)))) (i32.const 52)))
          (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (i32x4.sub (local.get $ki) (local.get $k1)) (i32x4.splat (i32.const 1023)))) (i32.const 52))))
        (if (local.get $pair)
          (then (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $u)))
          (else (v128.store64_lane 0 (i32.add (local.get $y) (local.get $at)) (local.get $u))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs))))

  ;; sp[i] = softplus(x[i]) = log(1 + eˣ) and sg[i] = sigmoid(x[i]) = 1/(1 + e⁻ˣ)
  ;; for i < n, both from u = e^(−|x|) ∈ [0, 1], which never overflows:
  ;; softplus = max(x, 0) + log1p(u), sigmoid = (x ≥ 0 ? 1 : u) / (1 + u).
  ;; Two lanes at a time (an odd last element alone), in two passes: u into
  ;; sg ($expOf), then the rest. In one pass the chain of dependent
  ;; operations per pair is so long that the processor overlaps too few
  ;; pairs (it took 1.4 times as long). sg must not overlap x.
  ;; Within about one ulp of the JavaScript helpers (Math.exp, Math.log1p);
  ;; NaN and ±∞ come out as there.
  ;;
  ;; log1p(u) = log(w) + c/w with w = 1 + u and c = u − (w − 1) (both exact);
  ;; log(w) for w ∈ [1, 2] as w = 2^k·(1 + f) with 1 + f ∈ [√½, √2] and
  ;; log(1 + f) = 2·atanh(s), s = f/(2 + f), by fdlibm's e_log.c polynomial
  ;; in s² (coefficients Lg1..Lg7, error ≤ 2^−58.45).
  (func (export "softplusSigmoid") (param $x i32) (param $sp i32) (param $sg i32) (param $n i32)
    (local $i i32) (local $at i32) (local $pair i32)
    (local $v v128) (local $u v128) (local $w v128) (local $big v128) (local $f v128) (local $z v128) (local $z2 v128)
    (local $c v128) (local $s v128) (local $hfsq v128) (local $lg v128) (local $kl v128) (local $soft v128) (local $sig v128)
    (call $expOf (local.get $x) (local.get $sg) (local.get $n) (v128.const i64x2 -1 -1))
    (local.set $i (i32.const 0))
    (block $done2
      (loop $pairs2
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $pair (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
        (local.set $v (if (result v128) (local.get $pair)
          (then (v128.load (i32.add (local.get $x) (local.get $at))))
          (else (v128.load64_zero (i32.add (local.get $x) (local.get $at))))))
        (local.set $u (if (result v128) (local.get $pair)
          (then (v128.load (i32.add (local.get $sg) (local.get $at))))
          (else (v128.load64_zero (i32.add (local.get $sg) (local.get $at))))))
        ;; w = 1 + u = 2^k·(1 + f)
        (local.set $w (f64x2.add (f64x2.splat (f64.const 1)) (local.get $u)))
        (local.set $big (f64x2.gt (local.get $w) (f64x2.splat (f64.const 0x1.6a09e667f3bcdp+0))))
        (local.set $f (f64x2.sub
          (v128.bitselect (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0.5))) (local.get $w) (local.get $big))
          (f64x2.splat (f64.const 1))))
        (local.set $kl (v128.and (local.get $big) (f64x2.splat (f64.const 1))))
        (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
        (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
        ;; R(z) = z·((Lg1 + z·Lg2) + z²·((Lg3 + z·Lg4) + z²·((Lg5 + z·Lg6) + z²·Lg7))) (Estrin)
        (local.set $z2 (f64x2.mul (local.get $z) (local.get $z)))
        (local.set $lg (f64x2.mul (local.get $z) (f64x2.add
          (f64x2.add (f64x2.splat (f64.const 6.666666666666735130e-01))
            (f64x2.mul (local.get $z) (f64x2.splat (f64.const 3.999999999940941908e-01))))
          (f64x2.mul (local.get $z2) (f64x2.add
            (f64x2.add (f64x2.splat (f64.const 2.857142874366239149e-01))
              (f64x2.mul (local.get $z) (f64x2.splat (f64.const 2.222219843214978396e-01))))
            (f64x2.mul (local.get $z2) (f64x2.add
              (f64x2.add (f64x2.splat (f64.const 1.818357216161805012e-01))
                (f64x2.mul (local.get $z) (f64x2.splat (f64.const 1.531383769920937332e-01))))
              (f64x2.mul (local.get $z2) (f64x2.splat (f64.const 1.479819860511658591e-01))))))))))
        (local.set $hfsq (f64x2.mul (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $f) (local.get $f))))
        ;; log1p(u) = k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo + c/w)) − f)
        (local.set $c (f64x2.sub (local.get $u) (f64x2.sub (local.get $w) (f64x2.splat (f64.const 1)))))
        (local.set $soft (f64x2.add
          (f64x2.pmax (local.get $v) (f64x2.splat (f64.const 0)))
          (f64x2.sub (f64x2.mul (local.get $kl) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
            (f64x2.sub
              (f64x2.sub (local.get $hfsq)
                (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $lg)))
                  (f64x2.add (f64x2.mul (local.get $kl) (f64x2.splat (f64.const 1.90821492927058770002e-10)))
                    (f64x2.div (local.get $c) (local.get $w)))))
              (local.get $f)))))
        (local.set $sig (f64x2.div
          (v128.bitselect (f64x2.splat (f64.const 1)) (local.get $u) (f64x2.ge (local.get $v) (f64x2.splat (f64.const 0))))
          (local.get $w)))
        (if (local.get $pair)
          (then
            (v128.store (i32.add (local.get $sp) (local.get $at)) (local.get $soft))
            (v128.store (i32.add (local.get $sg) (local.get $at)) (local.get $sig)))
          (else
            (v128.store64_lane 0 (i32.add (local.get $sp) (local.get $at)) (local.get $soft))
            (v128.store64_lane 0 (i32.add (local.get $sg) (local.get $at)) (local.get $sig))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs2))))
)
