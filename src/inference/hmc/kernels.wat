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
  ;; For the whole transition: log p and its gradient at the working point z
  ;; (the caller's fault-contained evaluation: −∞ where the density failed),
  ;; the random stream's next uniform, and JavaScript's own exp and log1p
  ;; (the same bits as the JavaScript transition's).
  (import "tree" "logp" (func $logp (result f64)))
  (import "tree" "uniform" (func $uniform (result f64)))
  (import "Math" "exp" (func $exp (param f64) (result f64)))
  (import "Math" "log1p" (func $log1p (param f64) (result f64)))

  ;; A leaf: first, with kick ≠ 0, the leapfrog step's last half kick
  ;; p += h·g; then v = M⁻¹p (inv·p for a diagonal metric, useInv ≠ 0;
  ;; otherwise v is already in vBeg), propose ← (q, p, g), vEnd = vBeg = v,
  ;; pBeg = pEnd = p, rho += p. Returns Σ pᵢ·vᵢ (twice the kinetic energy).
  (func $leaf (export "leaf")
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
  (func $merge (export "merge")
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

  ;; The whole transition under a diagonal or low-rank metric (nuts.ts's `transition`
  ;; from the copies of z on, its buildTree, and its leaf and merge passes),
  ;; for any d: in JavaScript a leaf of a small model costs about 300 ns of
  ;; property loads, calls and boxed doubles around a density call of a few.
  ;; The workspace is treeWorkspace.ts's: vector k at byte k·8d (z's q, p, g
  ;; are 0, 1, 2; fwd 3–5; bck 6–8; sample 9–11; propose 12–14; v 15;
  ;; inv 16; the top vectors 17–27 in TopVectors' order; level L's ten at
  ;; 28 + 10L in Level's order, proposeFinal's q, p, g last), then the
  ;; scalars at byte $scal: the lp of z, fwd, bck, sample, propose (slots
  ;; 0–4), the statistics (5–8: leapfrog steps, Σ acceptance, divergent,
  ;; failed evaluations), level L's proposeFinal lp (9 + L). A low-rank
  ;; metric (rank k > 0; lowRankMetric.ts) is read at byte $lr: σ (d), λ − 1
  ;; (k), scratch t (k), the k directions (rows of d). Every sum and
  ;; product is nuts.ts's and the metric's, in their order: the two give the
  ;; same bits.
  (global $d (mut i32) (i32.const 0))
  (global $stride (mut i32) (i32.const 0))
  (global $scal (mut i32) (i32.const 0))
  (global $eps (mut f64) (f64.const 0))
  (global $h0 (mut f64) (f64.const 0))
  (global $nLeap (mut i32) (i32.const 0))
  (global $sumMetro (mut f64) (f64.const 0))
  (global $divergent (mut i32) (i32.const 0))
  (global $recovered (mut i32) (i32.const 0))
  (global $rank (mut i32) (i32.const 0))
  (global $lr (mut i32) (i32.const 0))

  ;; (Vector k is at byte k·$stride, scalar slot s at $scal + 8s: written
  ;; out at each use, as V8 does not inline calls between WebAssembly
  ;; functions, and a call per offset cost a quarter of a leaf.)

  ;; n doubles from src to dst (not overlapping).
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (local $at i32) (local $end i32) (local $pairs i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (local.get $pairs)))
        (v128.store (i32.add (local.get $dst) (local.get $at)) (v128.load (i32.add (local.get $src) (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f64.store (i32.add (local.get $dst) (local.get $at)) (f64.load (i32.add (local.get $src) (local.get $at)))))))

  ;; Vector k ← vector j.
  (func $copyVec (param $k i32) (param $j i32) (call $copy (i32.mul (local.get $k) (global.get $stride)) (i32.mul (local.get $j) (global.get $stride)) (global.get $d)))

  ;; Vector k ← 0.
  (func $zero (param $k i32)
    (local $at i32) (local $end i32)
    (local.set $at (i32.mul (local.get $k) (global.get $stride)))
    (local.set $end (i32.add (local.get $at) (global.get $stride)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (f64.store (local.get $at) (f64.const 0))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each))))

  ;; The point at vectors dst… with lp slot dstSlot ← the point at src….
  (func $copyPoint (param $dst i32) (param $dstSlot i32) (param $src i32) (param $srcSlot i32)
    (call $copy (i32.mul (local.get $dst) (global.get $stride)) (i32.mul (local.get $src) (global.get $stride)) (i32.mul (global.get $d) (i32.const 3)))
    (f64.store (i32.add (global.get $scal) (i32.shl (local.get $dstSlot) (i32.const 3))) (f64.load (i32.add (global.get $scal) (i32.shl (local.get $srcSlot) (i32.const 3))))))

  ;; out ← M⁻¹p under the low-rank metric (lowRankMetric.ts's velocity), for
  ;; the vectors at byte offsets p and out: σ ⊙ (σ ⊙ p + Σⱼ (λⱼ − 1) tⱼ uⱼ)
  ;; with tⱼ = Σᵢ (uⱼᵢ σᵢ) pᵢ. (A diagonal metric's velocity is written out
  ;; where it is needed: in $kickDrift, $leaf and the transition's start.)
  (func $velocity (param $p i32) (param $out i32)
    (local $j i32) (local $at i32) (local $s f64) (local $c f64)
    (local $sd i32) (local $lm1 i32) (local $t i32) (local $row i32)
    (local.set $sd (global.get $lr))
    (local.set $lm1 (i32.add (local.get $sd) (global.get $stride)))
    (local.set $t (i32.add (local.get $lm1) (i32.shl (global.get $rank) (i32.const 3))))
    (local.set $row (i32.add (local.get $t) (i32.shl (global.get $rank) (i32.const 3))))
    (block $projected
      (loop $rows
        (br_if $projected (i32.ge_u (local.get $j) (global.get $rank)))
        (local.set $s (f64.const 0))
        (local.set $at (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.mul (f64.load (i32.add (local.get $row) (local.get $at))) (f64.load (i32.add (local.get $sd) (local.get $at))))
                (f64.load (i32.add (local.get $p) (local.get $at))))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br $each)))
        (f64.store (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))
        (local.set $row (i32.add (local.get $row) (global.get $stride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
    (local.set $at (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
        (f64.store (i32.add (local.get $out) (local.get $at))
          (f64.mul (f64.load (i32.add (local.get $sd) (local.get $at))) (f64.load (i32.add (local.get $p) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each)))
    (local.set $row (i32.add (local.get $t) (i32.shl (global.get $rank) (i32.const 3))))
    (local.set $j (i32.const 0))
    (block $corrected
      (loop $rows
        (br_if $corrected (i32.ge_u (local.get $j) (global.get $rank)))
        (local.set $c (f64.mul (f64.load (i32.add (local.get $lm1) (i32.shl (local.get $j) (i32.const 3))))
          (f64.load (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $at (i32.const 0))
        (block $done
          (loop $each
            (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
            (f64.store (i32.add (local.get $out) (local.get $at))
              (f64.add (f64.load (i32.add (local.get $out) (local.get $at)))
                (f64.mul (local.get $c) (f64.load (i32.add (local.get $row) (local.get $at))))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br $each)))
        (local.set $row (i32.add (local.get $row) (global.get $stride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
    (local.set $at (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
        (f64.store (i32.add (local.get $out) (local.get $at))
          (f64.mul (f64.load (i32.add (local.get $out) (local.get $at))) (f64.load (i32.add (local.get $sd) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each))))

  ;; z's momentum kick p += h·g (integrator.ts's kick).
  (func $kick (param $h f64)
    (local $at i32) (local $p i32) (local $g i32)
    (local.set $p (global.get $stride))
    (local.set $g (i32.shl (global.get $stride) (i32.const 1)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
        (f64.store (i32.add (local.get $p) (local.get $at))
          (f64.add (f64.load (i32.add (local.get $p) (local.get $at))) (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each))))

  ;; A leapfrog step up to its density call under a low-rank metric
  ;; (integrator.ts's halfStep; a diagonal metric's is $kickDrift): the kick
  ;; by ε/2, the velocity into v (vector 15) and the drift q += ε·v.
  (func $halfStep (param $eps f64)
    (local $at i32) (local $v i32)
    (call $kick (f64.mul (f64.const 0.5) (local.get $eps)))
    (local.set $v (i32.mul (i32.const 15) (global.get $stride)))
    (call $velocity (global.get $stride) (local.get $v))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (global.get $stride)))
        (f64.store (local.get $at)
          (f64.add (f64.load (local.get $at)) (f64.mul (local.get $eps) (f64.load (i32.add (local.get $v) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (br $each))))

  ;; z's half kick p += (ε/2)·g and drift q += ε·(inv·p), in one pass (integrator.ts's kickDrift).
  (func $kickDrift (param $eps f64)
    (local $at i32) (local $end i32) (local $pairs i32) (local $h f64) (local $pi f64) (local $pv v128)
    (local $q i32) (local $p i32) (local $g i32) (local $inv i32)
    (local.set $h (f64.mul (f64.const 0.5) (local.get $eps)))
    (local.set $q (i32.const 0))
    (local.set $p (global.get $stride))
    (local.set $g (i32.mul (i32.const 2) (global.get $stride)))
    (local.set $inv (i32.mul (i32.const 16) (global.get $stride)))
    (local.set $end (global.get $stride))
    (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $at) (local.get $pairs)))
        (local.set $pv (f64x2.add (v128.load (i32.add (local.get $p) (local.get $at)))
          (f64x2.mul (f64x2.splat (local.get $h)) (v128.load (i32.add (local.get $g) (local.get $at))))))
        (v128.store (i32.add (local.get $p) (local.get $at)) (local.get $pv))
        (v128.store (i32.add (local.get $q) (local.get $at))
          (f64x2.add (v128.load (i32.add (local.get $q) (local.get $at)))
            (f64x2.mul (f64x2.splat (local.get $eps)) (f64x2.mul (v128.load (i32.add (local.get $inv) (local.get $at))) (local.get $pv)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $each)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then
        (local.set $pi (f64.add (f64.load (i32.add (local.get $p) (local.get $at)))
          (f64.mul (local.get $h) (f64.load (i32.add (local.get $g) (local.get $at))))))
        (f64.store (i32.add (local.get $p) (local.get $at)) (local.get $pi))
        (f64.store (i32.add (local.get $q) (local.get $at))
          (f64.add (f64.load (i32.add (local.get $q) (local.get $at)))
            (f64.mul (local.get $eps) (f64.mul (f64.load (i32.add (local.get $inv) (local.get $at))) (local.get $pi))))))))

  ;; nuts.ts's buildTree: a subtree of 2^depth leaves from z in direction
  ;; sign, its proposal in the point at vectors prop… (lp slot propSlot);
  ;; the other arguments are byte offsets. Its log-sum of weights, or NaN
  ;; where it turned or diverged.
  (func $buildTree (param $depth i32) (param $prop i32) (param $propSlot i32)
    (param $vBeg i32) (param $vEnd i32) (param $rho i32) (param $pBeg i32) (param $pEnd i32) (param $sign f64) (result f64)
    (local $eps f64) (local $lp f64) (local $ok i32) (local $h f64) (local $raw f64) (local $e f64)
    (local $lv i32) (local $init f64) (local $fin f64) (local $gain f64) (local $odds f64) (local $weight f64)
    (if (i32.eqz (local.get $depth))
      (then
        (local.set $eps (f64.mul (local.get $sign) (global.get $eps)))
        (if (global.get $rank) (then (call $halfStep (local.get $eps))) (else (call $kickDrift (local.get $eps))))
        (local.set $lp (call $logp))
        (f64.store (global.get $scal) (local.get $lp))
        (local.set $ok (f64.ne (local.get $lp) (f64.const -inf)))
        (if (i32.eqz (local.get $ok)) (then (global.set $recovered (i32.add (global.get $recovered) (i32.const 1)))))
        (global.set $nLeap (i32.add (global.get $nLeap) (i32.const 1)))
        ;; the step's last half kick comes with the leaf's pass, where the density did not fail
        (local.set $h (select (f64.mul (f64.const 0.5) (local.get $eps)) (f64.const 0) (local.get $ok)))
        ;; (a low-rank velocity needs the whole kicked p first: the pass then copies it)
        (if (global.get $rank)
          (then
            (if (f64.ne (local.get $h) (f64.const 0)) (then (call $kick (local.get $h))))
            (call $velocity (global.get $stride) (local.get $vBeg))))
        (local.set $raw (f64.add (f64.neg (local.get $lp)) (f64.mul (f64.const 0.5)
          (call $leaf (i32.and (i32.eqz (global.get $rank)) (f64.ne (local.get $h) (f64.const 0))) (local.get $h)
            (i32.const 0) (global.get $stride) (i32.mul (i32.const 2) (global.get $stride)) (i32.mul (i32.const 16) (global.get $stride)) (i32.eqz (global.get $rank))
            (i32.mul (local.get $prop) (global.get $stride)) (i32.mul (i32.add (local.get $prop) (i32.const 1)) (global.get $stride)) (i32.mul (i32.add (local.get $prop) (i32.const 2)) (global.get $stride))
            (local.get $vBeg) (local.get $vEnd) (local.get $rho) (local.get $pBeg) (local.get $pEnd) (global.get $d)))))
        (f64.store (i32.add (global.get $scal) (i32.shl (local.get $propSlot) (i32.const 3))) (local.get $lp))
        (local.set $h (select (f64.const inf) (local.get $raw) (f64.ne (local.get $raw) (local.get $raw))))
        (if (f64.gt (f64.sub (local.get $h) (global.get $h0)) (f64.const 1000)) (then (global.set $divergent (i32.const 1))))
        (local.set $e (f64.sub (global.get $h0) (local.get $h)))
        (global.set $sumMetro (f64.add (global.get $sumMetro)
          (if (result f64) (f64.gt (local.get $e) (f64.const 0)) (then (f64.const 1)) (else (call $exp (local.get $e))))))
        (return (select (f64.const nan) (local.get $e) (global.get $divergent)))))
    (local.set $lv (i32.add (i32.const 28) (i32.mul (local.get $depth) (i32.const 10))))
    (call $zero (i32.add (local.get $lv) (i32.const 2)))
    (local.set $init (call $buildTree (i32.sub (local.get $depth) (i32.const 1)) (local.get $prop) (local.get $propSlot)
      (local.get $vBeg) (i32.mul (i32.add (local.get $lv) (i32.const 1)) (global.get $stride)) (i32.mul (i32.add (local.get $lv) (i32.const 2)) (global.get $stride))
      (local.get $pBeg) (i32.mul (local.get $lv) (global.get $stride)) (local.get $sign)))
    (if (f64.ne (local.get $init) (local.get $init)) (then (return (f64.const nan))))
    (call $zero (i32.add (local.get $lv) (i32.const 5)))
    (local.set $fin (call $buildTree (i32.sub (local.get $depth) (i32.const 1))
      (i32.add (local.get $lv) (i32.const 7)) (i32.add (i32.const 9) (local.get $depth))
      (i32.mul (i32.add (local.get $lv) (i32.const 4)) (global.get $stride)) (local.get $vEnd) (i32.mul (i32.add (local.get $lv) (i32.const 5)) (global.get $stride))
      (i32.mul (i32.add (local.get $lv) (i32.const 3)) (global.get $stride)) (local.get $pEnd) (local.get $sign)))
    (if (f64.ne (local.get $fin) (local.get $fin)) (then (return (f64.const nan))))
    (local.set $gain (f64.sub (local.get $fin) (local.get $init)))
    (local.set $odds (call $exp (f64.neg (f64.abs (local.get $gain)))))
    (local.set $weight (f64.add (f64.max (local.get $init) (local.get $fin)) (call $log1p (local.get $odds))))
    (if (f64.lt (call $uniform)
          (f64.div (select (f64.const 1) (local.get $odds) (f64.ge (local.get $gain) (f64.const 0))) (f64.add (f64.const 1) (local.get $odds))))
      (then (call $copyPoint (local.get $prop) (local.get $propSlot) (i32.add (local.get $lv) (i32.const 7)) (i32.add (i32.const 9) (local.get $depth)))))
    (select (local.get $weight) (f64.const nan)
      (call $merge (local.get $rho) (i32.const 1)
        (i32.mul (i32.add (local.get $lv) (i32.const 6)) (global.get $stride)) (i32.mul (i32.add (local.get $lv) (i32.const 2)) (global.get $stride)) (i32.mul (i32.add (local.get $lv) (i32.const 5)) (global.get $stride))
        (local.get $vBeg) (local.get $vEnd)
        (i32.mul (i32.add (local.get $lv) (i32.const 3)) (global.get $stride)) (i32.mul (i32.add (local.get $lv) (i32.const 4)) (global.get $stride))
        (i32.mul (local.get $lv) (global.get $stride)) (i32.mul (i32.add (local.get $lv) (i32.const 1)) (global.get $stride))
        (global.get $d))))

  ;; The transition from z (q, g, its lp and the fresh momentum p set), whose
  ;; Hamiltonian is h0, with step size eps and trees up to maxDepth deep,
  ;; under the diagonal metric inv (rankK 0) or the low-rank one at byte
  ;; lowRank (rankK > 0): the draw is left in sample (vectors 9–11, slot 3),
  ;; the statistics in slots 5–8. Returns the tree depth.
  (func (export "transition") (param $dim i32) (param $maxDepth i32) (param $stepSize f64) (param $h0 f64) (param $scal i32)
    (param $rankK i32) (param $lowRank i32) (result i32)
    (local $i i32) (local $at i32) (local $p f64) (local $v f64) (local $depth i32) (local $logSum f64) (local $w f64) (local $gain f64) (local $odds f64)
    (global.set $d (local.get $dim))
    (global.set $stride (i32.shl (local.get $dim) (i32.const 3)))
    (global.set $scal (local.get $scal))
    (global.set $eps (local.get $stepSize))
    (global.set $h0 (local.get $h0))
    (global.set $nLeap (i32.const 0))
    (global.set $sumMetro (f64.const 0))
    (global.set $divergent (i32.const 0))
    (global.set $recovered (i32.const 0))
    (global.set $rank (local.get $rankK))
    (global.set $lr (local.get $lowRank))
    (call $copyPoint (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 0))
    (call $copyPoint (i32.const 6) (i32.const 2) (i32.const 0) (i32.const 0))
    (call $copyPoint (i32.const 9) (i32.const 3) (i32.const 0) (i32.const 0))
    (if (global.get $rank) (then (call $velocity (global.get $stride) (i32.mul (i32.const 18) (global.get $stride)))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $dim)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $p (f64.load (i32.add (global.get $stride) (local.get $at))))
        (local.set $v (if (result f64) (global.get $rank)
          (then (f64.load (i32.add (i32.mul (i32.const 18) (global.get $stride)) (local.get $at))))
          (else (f64.mul (f64.load (i32.add (i32.mul (i32.const 16) (global.get $stride)) (local.get $at))) (local.get $p)))))
        (f64.store (i32.add (i32.mul (i32.const 18) (global.get $stride)) (local.get $at)) (local.get $v))
        (f64.store (i32.add (i32.mul (i32.const 17) (global.get $stride)) (local.get $at)) (local.get $p))
        (f64.store (i32.add (i32.mul (i32.const 19) (global.get $stride)) (local.get $at)) (local.get $p))
        (f64.store (i32.add (i32.mul (i32.const 21) (global.get $stride)) (local.get $at)) (local.get $p))
        (f64.store (i32.add (i32.mul (i32.const 23) (global.get $stride)) (local.get $at)) (local.get $p))
        (f64.store (i32.add (i32.mul (i32.const 25) (global.get $stride)) (local.get $at)) (local.get $p))
        (f64.store (i32.add (i32.mul (i32.const 20) (global.get $stride)) (local.get $at)) (local.get $v))
        (f64.store (i32.add (i32.mul (i32.const 22) (global.get $stride)) (local.get $at)) (local.get $v))
        (f64.store (i32.add (i32.mul (i32.const 24) (global.get $stride)) (local.get $at)) (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (block $end
      (loop $extend
        (br_if $end (i32.ge_s (local.get $depth) (local.get $maxDepth)))
        (call $zero (i32.const 26))
        (call $zero (i32.const 27))
        (if (f64.gt (call $uniform) (f64.const 0.5))
          (then
            ;; forward: the trajectory so far becomes the backward part
            (call $copyPoint (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 1))
            (call $copyVec (i32.const 27) (i32.const 25))
            (call $copyVec (i32.const 21) (i32.const 17))
            (call $copyVec (i32.const 22) (i32.const 18))
            (local.set $w (call $buildTree (local.get $depth) (i32.const 12) (i32.const 4)
              (i32.mul (i32.const 20) (global.get $stride)) (i32.mul (i32.const 18) (global.get $stride)) (i32.mul (i32.const 26) (global.get $stride)) (i32.mul (i32.const 19) (global.get $stride)) (i32.mul (i32.const 17) (global.get $stride))
              (f64.const 1)))
            (call $copyPoint (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 0)))
          (else
            (call $copyPoint (i32.const 0) (i32.const 0) (i32.const 6) (i32.const 2))
            (call $copyVec (i32.const 26) (i32.const 25))
            (call $copyVec (i32.const 19) (i32.const 23))
            (call $copyVec (i32.const 20) (i32.const 24))
            (local.set $w (call $buildTree (local.get $depth) (i32.const 12) (i32.const 4)
              (i32.mul (i32.const 22) (global.get $stride)) (i32.mul (i32.const 24) (global.get $stride)) (i32.mul (i32.const 27) (global.get $stride)) (i32.mul (i32.const 21) (global.get $stride)) (i32.mul (i32.const 23) (global.get $stride))
              (f64.const -1)))
            (call $copyPoint (i32.const 6) (i32.const 2) (i32.const 0) (i32.const 0))))
        (br_if $end (f64.ne (local.get $w) (local.get $w)))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        ;; biased progressive sampling (nuts.ts)
        (local.set $gain (f64.sub (local.get $w) (local.get $logSum)))
        (if (f64.gt (local.get $gain) (f64.const 0))
          (then
            (call $copyPoint (i32.const 9) (i32.const 3) (i32.const 12) (i32.const 4))
            (local.set $logSum (f64.add (local.get $w) (call $log1p (call $exp (f64.neg (local.get $gain)))))))
          (else
            (local.set $odds (call $exp (local.get $gain)))
            (if (f64.lt (call $uniform) (local.get $odds))
              (then (call $copyPoint (i32.const 9) (i32.const 3) (i32.const 12) (i32.const 4))))
            (local.set $logSum (f64.add (local.get $logSum) (call $log1p (local.get $odds))))))
        (br_if $end (i32.eqz (call $merge (i32.const 0) (i32.const 0)
          (i32.mul (i32.const 25) (global.get $stride)) (i32.mul (i32.const 27) (global.get $stride)) (i32.mul (i32.const 26) (global.get $stride))
          (i32.mul (i32.const 24) (global.get $stride)) (i32.mul (i32.const 18) (global.get $stride))
          (i32.mul (i32.const 19) (global.get $stride)) (i32.mul (i32.const 20) (global.get $stride)) (i32.mul (i32.const 21) (global.get $stride)) (i32.mul (i32.const 22) (global.get $stride))
          (local.get $dim))))
        (br $extend)))
    (f64.store (i32.add (global.get $scal) (i32.shl (i32.const 5) (i32.const 3))) (f64.convert_i32_u (global.get $nLeap)))
    (f64.store (i32.add (global.get $scal) (i32.shl (i32.const 6) (i32.const 3))) (global.get $sumMetro))
    (f64.store (i32.add (global.get $scal) (i32.shl (i32.const 7) (i32.const 3))) (f64.convert_i32_u (global.get $divergent)))
    (f64.store (i32.add (global.get $scal) (i32.shl (i32.const 8) (i32.const 3))) (f64.convert_i32_u (global.get $recovered)))
    (local.get $depth))
)
