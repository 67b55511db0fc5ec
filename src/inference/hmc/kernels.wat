;; The NUTS tree's two passes over d-vectors that run once per leapfrog step
;; (nuts.ts: a leaf's, and a merge's U-turn checks), in WebAssembly with
;; 128-bit SIMD (two float64 lanes). scripts/buildWasm.ts assembles this file
;; into kernels.ts; test/inference/hmc/nutsKernels.test.ts checks the two
;; agree, and that these passes give the JavaScript ones' bits: every sum
;; runs in element order, one lane after the other, as the JavaScript adds.
;;
;; Every pointer is a byte offset into the memory the caller imports (the
;; kernel's workspace). No output overlaps an input it is not written over.
(module
  (import "env" "memory" (memory 1))

  ;; A leaf: first, with kick ≠ 0, the leapfrog step's last half kick
  ;; p += h·g; then v = M⁻¹p (inv·p for a diagonal metric, useInv ≠ 0;
  ;; otherwise v is already in vBeg), propose ← (q, p, g), vEnd = vBeg = v,
  ;; pBeg = pEnd = p, rho += p. Returns Σ pᵢ·vᵢ (twice the kinetic energy).
  (func (export "leaf")
    (param $kick i32) (param $h f64)
    (param $q i32) (param $p i32) (param $g i32) (param $inv i32) (param $useInv i32)
    (param $pq i32) (param $pp i32) (param $pg i32) (param $vBeg i32) (param $vEnd i32) (param $rho i32)
    (param $pBeg i32) (param $pEnd i32) (param $d i32) (result f64)
    (local $i i32) (local $at i32) (local $d2 i32) (local $pv v128) (local $vv v128) (local $kin v128) (local $acc f64)
    (local $pi f64) (local $vi f64)
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (local.get $d2)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $at))))
        (if (local.get $kick)
          (then (local.set $pv (f64x2.add (local.get $pv)
            (f64x2.mul (f64x2.splat (local.get $h)) (v128.load (i32.add (local.get $g) (local.get $at))))))))
        (local.set $vv (if (result v128) (local.get $useInv)
          (then (f64x2.mul (v128.load (i32.add (local.get $inv) (local.get $at))) (local.get $pv)))
          (else (v128.load (i32.add (local.get $vBeg) (local.get $at))))))
        (local.set $kin (f64x2.mul (local.get $pv) (local.get $vv)))
        (local.set $acc (f64.add (f64.add (local.get $acc) (f64x2.extract_lane 0 (local.get $kin))) (f64x2.extract_lane 1 (local.get $kin))))
        (v128.store (i32.add (local.get $vBeg) (local.get $at)) (local.get $vv))
        (v128.store (i32.add (local.get $vEnd) (local.get $at)) (local.get $vv))
        (v128.store (i32.add (local.get $pq) (local.get $at)) (v128.load (i32.add (local.get $q) (local.get $at))))
        (v128.store (i32.add (local.get $p) (local.get $at)) (local.get $pv))
        (v128.store (i32.add (local.get $pp) (local.get $at)) (local.get $pv))
        (v128.store (i32.add (local.get $pg) (local.get $at)) (v128.load (i32.add (local.get $g) (local.get $at))))
        (v128.store (i32.add (local.get $rho) (local.get $at)) (f64x2.add (v128.load (i32.add (local.get $rho) (local.get $at))) (local.get $pv)))
        (v128.store (i32.add (local.get $pBeg) (local.get $at)) (local.get $pv))
        (v128.store (i32.add (local.get $pEnd) (local.get $at)) (local.get $pv))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; an odd last element alone
    (if (i32.lt_u (local.get $i) (local.get $d))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $pi (f64.load (i32.add (local.get $p) (local.get $at))))
        (if (local.get $kick)
          (then (local.set $pi (f64.add (local.get $pi) (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $at))))))))
        (local.set $vi (if (result f64) (local.get $useInv)
          (then (f64.mul (f64.load (i32.add (local.get $inv) (local.get $at))) (local.get $pi)))
          (else (f64.load (i32.add (local.get $vBeg) (local.get $at))))))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $pi) (local.get $vi))))
        (f64.store (i32.add (local.get $vBeg) (local.get $at)) (local.get $vi))
        (f64.store (i32.add (local.get $vEnd) (local.get $at)) (local.get $vi))
        (f64.store (i32.add (local.get $pq) (local.get $at)) (f64.load (i32.add (local.get $q) (local.get $at))))
        (f64.store (i32.add (local.get $p) (local.get $at)) (local.get $pi))
        (f64.store (i32.add (local.get $pp) (local.get $at)) (local.get $pi))
        (f64.store (i32.add (local.get $pg) (local.get $at)) (f64.load (i32.add (local.get $g) (local.get $at))))
        (f64.store (i32.add (local.get $rho) (local.get $at)) (f64.add (f64.load (i32.add (local.get $rho) (local.get $at))) (local.get $pi)))
        (f64.store (i32.add (local.get $pBeg) (local.get $at)) (local.get $pi))
        (f64.store (i32.add (local.get $pEnd) (local.get $at)) (local.get $pi))))
    (local.get $acc))

  ;; A merge of two trajectory parts: rho = rho1 + rho2 (rho may be either),
  ;; and whether the generalized U-turn criterion holds across the whole
  ;; (Σ vPlus·ρ, Σ vMinus·ρ) and across the boundary both ways (ρ₁ + pBeg2
  ;; against vBeg2 and vMinus, ρ₂ + pEnd1 against vPlus and vEnd1): 1 when
  ;; all six sums are positive. With accumulate ≠ 0, also parent += rho.
  (func (export "merge")
    (param $parent i32) (param $accumulate i32)
    (param $rho i32) (param $rho1 i32) (param $rho2 i32) (param $vMinus i32) (param $vPlus i32)
    (param $pBeg2 i32) (param $vBeg2 i32) (param $pEnd1 i32) (param $vEnd1 i32) (param $d i32) (result i32)
    (local $i i32) (local $at i32) (local $d2 i32)
    (local $r1 v128) (local $r2 v128) (local $r v128) (local $vm v128) (local $vp v128) (local $a v128) (local $b v128) (local $t v128)
    (local $w1 f64) (local $w2 f64) (local $a1 f64) (local $a2 f64) (local $b1 f64) (local $b2 f64)
    (local $x1 f64) (local $x2 f64) (local $x f64) (local $xm f64) (local $xp f64) (local $xa f64) (local $xb f64)
    (local.set $d2 (i32.and (local.get $d) (i32.const -2)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (local.get $d2)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $r1 (v128.load (i32.add (local.get $rho1) (local.get $at))))
        (local.set $r2 (v128.load (i32.add (local.get $rho2) (local.get $at))))
        (local.set $r (f64x2.add (local.get $r1) (local.get $r2)))
        (v128.store (i32.add (local.get $rho) (local.get $at)) (local.get $r))
        (if (local.get $accumulate)
          (then (v128.store (i32.add (local.get $parent) (local.get $at))
            (f64x2.add (v128.load (i32.add (local.get $parent) (local.get $at))) (local.get $r)))))
        (local.set $vm (v128.load (i32.add (local.get $vMinus) (local.get $at))))
        (local.set $vp (v128.load (i32.add (local.get $vPlus) (local.get $at))))
        (local.set $t (f64x2.mul (local.get $vp) (local.get $r)))
        (local.set $w1 (f64.add (f64.add (local.get $w1) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $t (f64x2.mul (local.get $vm) (local.get $r)))
        (local.set $w2 (f64.add (f64.add (local.get $w2) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $a (f64x2.add (local.get $r1) (v128.load (i32.add (local.get $pBeg2) (local.get $at)))))
        (local.set $t (f64x2.mul (v128.load (i32.add (local.get $vBeg2) (local.get $at))) (local.get $a)))
        (local.set $a1 (f64.add (f64.add (local.get $a1) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $t (f64x2.mul (local.get $vm) (local.get $a)))
        (local.set $a2 (f64.add (f64.add (local.get $a2) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $b (f64x2.add (local.get $r2) (v128.load (i32.add (local.get $pEnd1) (local.get $at)))))
        (local.set $t (f64x2.mul (local.get $vp) (local.get $b)))
        (local.set $b1 (f64.add (f64.add (local.get $b1) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $t (f64x2.mul (v128.load (i32.add (local.get $vEnd1) (local.get $at))) (local.get $b)))
        (local.set $b2 (f64.add (f64.add (local.get $b2) (f64x2.extract_lane 0 (local.get $t))) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; an odd last element alone
    (if (i32.lt_u (local.get $i) (local.get $d))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $x1 (f64.load (i32.add (local.get $rho1) (local.get $at))))
        (local.set $x2 (f64.load (i32.add (local.get $rho2) (local.get $at))))
        (local.set $x (f64.add (local.get $x1) (local.get $x2)))
        (f64.store (i32.add (local.get $rho) (local.get $at)) (local.get $x))
        (if (local.get $accumulate)
          (then (f64.store (i32.add (local.get $parent) (local.get $at))
            (f64.add (f64.load (i32.add (local.get $parent) (local.get $at))) (local.get $x)))))
        (local.set $xm (f64.load (i32.add (local.get $vMinus) (local.get $at))))
        (local.set $xp (f64.load (i32.add (local.get $vPlus) (local.get $at))))
        (local.set $w1 (f64.add (local.get $w1) (f64.mul (local.get $xp) (local.get $x))))
        (local.set $w2 (f64.add (local.get $w2) (f64.mul (local.get $xm) (local.get $x))))
        (local.set $xa (f64.add (local.get $x1) (f64.load (i32.add (local.get $pBeg2) (local.get $at)))))
        (local.set $a1 (f64.add (local.get $a1) (f64.mul (f64.load (i32.add (local.get $vBeg2) (local.get $at))) (local.get $xa))))
        (local.set $a2 (f64.add (local.get $a2) (f64.mul (local.get $xm) (local.get $xa))))
        (local.set $xb (f64.add (local.get $x2) (f64.load (i32.add (local.get $pEnd1) (local.get $at)))))
        (local.set $b1 (f64.add (local.get $b1) (f64.mul (local.get $xp) (local.get $xb))))
        (local.set $b2 (f64.add (local.get $b2) (f64.mul (f64.load (i32.add (local.get $vEnd1) (local.get $at))) (local.get $xb))))))
    (i32.and
      (i32.and
        (i32.and (f64.gt (local.get $w1) (f64.const 0)) (f64.gt (local.get $w2) (f64.const 0)))
        (i32.and (f64.gt (local.get $a1) (f64.const 0)) (f64.gt (local.get $a2) (f64.const 0))))
      (i32.and (f64.gt (local.get $b1) (f64.const 0)) (f64.gt (local.get $b2) (f64.const 0)))))
)
