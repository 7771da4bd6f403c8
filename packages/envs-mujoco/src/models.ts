/**
 * The MJCF models of the MuJoCo envs, written for Proximal from the physical parameters of
 * Gymnasium 1.x's v5 assets (`gymnasium/envs/mujoco/assets/*.xml`): the same bodies, joints
 * (axes, ranges, damping, stiffness, armature), geoms (shapes, sizes, friction, contact
 * parameters, masses through `inertiafromgeom` / `settotalmass` / `density`), actuators (gears,
 * control ranges), time steps and integrators. Purely visual elements (textures, materials,
 * lights, cameras) are left out; joint and body names and their order are Gymnasium's, so
 * `qpos` / `qvel` / `ctrl` indices match.
 */

/**
 * InvertedPendulum: a cart on a ±1 m rail (slide joint `slider`, damping 1) carrying a 0.6 m pole
 * (hinge `hinge`, ±90°, damping 1); motor gear 100, control ±3. RK4, timestep 0.02 s.
 */
export const INVERTED_PENDULUM_XML = `<mujoco model="inverted_pendulum">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.02" integrator="RK4" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" damping="1" armature="0"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
  </default>
  <worldbody>
    <geom name="rail" type="capsule" fromto="-1 0 0 1 0 0" size="0.02" rgba="0.3 0.3 0.7 1"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" range="-1 1"/>
      <geom name="cart" type="capsule" fromto="-0.1 0 0 0.1 0 0" size="0.1"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0" range="-90 90"/>
        <geom name="cpole" type="capsule" fromto="0 0 0 0.001 0 0.6" size="0.049" rgba="0 0.7 0.7 1"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>
`;

/**
 * InvertedDoublePendulum: a cart on a ±1 m rail (`slider`, joint margin 0.01) with two 0.6 m
 * poles (`hinge`, `hinge2`, unlimited), all joints damping 0.05; a site `tip` at the top of the
 * second pole; motor gear 500, control ±1. RK4, timestep 0.01 s, gravity (1e-5, 0, −9.81).
 */
export const INVERTED_DOUBLE_PENDULUM_XML = `<mujoco model="inverted_double_pendulum">
  <compiler inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="1e-5 0 -9.81"/>
  <default>
    <joint damping="0.05"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 -3" size="40 40 40" rgba="0.8 0.9 0.8 1"/>
    <geom name="rail" type="capsule" fromto="-1 0 0 1 0 0" size="0.02" rgba="0.3 0.3 0.7 1"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" limited="true" range="-1 1" margin="0.01"/>
      <geom name="cart" type="capsule" fromto="-0.1 0 0 0.1 0 0" size="0.1"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0"/>
        <geom name="cpole" type="capsule" fromto="0 0 0 0 0 0.6" size="0.045" rgba="0 0.7 0.7 1"/>
        <body name="pole2" pos="0 0 0.6">
          <joint name="hinge2" type="hinge" axis="0 1 0" pos="0 0 0"/>
          <geom name="cpole2" type="capsule" fromto="0 0 0 0 0 0.6" size="0.045" rgba="0 0.7 0.7 1"/>
          <site name="tip" pos="0 0 0.6" size="0.01"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="500" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/**
 * HalfCheetah: a planar 14 kg cheetah (torso with head, back and front thigh / shin / foot) on
 * root joints rootx (slide), rootz (slide), rooty (hinge); leg joints with stiffness and damping
 * (back 240 / 180 / 120 and 6 / 4.5 / 3, front 180 / 120 / 60 and 4.5 / 3 / 1.5), armature 0.1;
 * gears 120, 90, 60, 120, 60, 30; control ±1. Euler, timestep 0.01 s; friction 0.4.
 */
export const HALF_CHEETAH_XML = `<mujoco model="half_cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <option timestep="0.01" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="0.1" damping="0.01" stiffness="8" solreflimit="0.02 1" solimplimit="0 0.8 0.03"/>
    <geom contype="1" conaffinity="0" condim="3" friction="0.4 0.1 0.1" solref="0.02 1" solimp="0 0.8 0.01" rgba="0.8 0.6 0.4 1"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 0" size="40 40 40" conaffinity="1" condim="3" rgba="0.8 0.9 0.8 1"/>
    <body name="torso" pos="0 0 0.7">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso" type="capsule" fromto="-0.5 0 0 0.5 0 0" size="0.046"/>
      <geom name="head" type="capsule" pos="0.6 0 0.1" axisangle="0 1 0 0.87" size="0.046 0.15"/>
      <body name="bthigh" pos="-0.5 0 0">
        <joint name="bthigh" type="hinge" axis="0 1 0" pos="0 0 0" range="-0.52 1.05" stiffness="240" damping="6"/>
        <geom name="bthigh" type="capsule" pos="0.1 0 -0.13" axisangle="0 1 0 -3.8" size="0.046 0.145"/>
        <body name="bshin" pos="0.16 0 -0.25">
          <joint name="bshin" type="hinge" axis="0 1 0" pos="0 0 0" range="-0.785 0.785" stiffness="180" damping="4.5"/>
          <geom name="bshin" type="capsule" pos="-0.14 0 -0.07" axisangle="0 1 0 -2.03" size="0.046 0.15" rgba="0.9 0.6 0.6 1"/>
          <body name="bfoot" pos="-0.28 0 -0.14">
            <joint name="bfoot" type="hinge" axis="0 1 0" pos="0 0 0" range="-0.4 0.785" stiffness="120" damping="3"/>
            <geom name="bfoot" type="capsule" pos="0.03 0 -0.097" axisangle="0 1 0 -0.27" size="0.046 0.094" rgba="0.9 0.6 0.6 1"/>
          </body>
        </body>
      </body>
      <body name="fthigh" pos="0.5 0 0">
        <joint name="fthigh" type="hinge" axis="0 1 0" pos="0 0 0" range="-1 0.7" stiffness="180" damping="4.5"/>
        <geom name="fthigh" type="capsule" pos="-0.07 0 -0.12" axisangle="0 1 0 0.52" size="0.046 0.133"/>
        <body name="fshin" pos="-0.14 0 -0.24">
          <joint name="fshin" type="hinge" axis="0 1 0" pos="0 0 0" range="-1.2 0.87" stiffness="120" damping="3"/>
          <geom name="fshin" type="capsule" pos="0.065 0 -0.09" axisangle="0 1 0 -0.6" size="0.046 0.106" rgba="0.9 0.6 0.6 1"/>
          <body name="ffoot" pos="0.13 0 -0.18">
            <joint name="ffoot" type="hinge" axis="0 1 0" pos="0 0 0" range="-0.5 0.5" stiffness="60" damping="1.5"/>
            <geom name="ffoot" type="capsule" pos="0.045 0 -0.07" axisangle="0 1 0 -0.6" size="0.046 0.07" rgba="0.9 0.6 0.6 1"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="120"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
</mujoco>
`;

/**
 * One planar leg of Hopper / Walker2d below the torso: thigh (0.45 m), leg (0.5 m), foot; the
 * joints bend about −y with ranges −150…0°, −150…0°, ±45°.
 */
function planarLeg(
  suffix: string,
  footOffset: number,
  footHalfLength: number,
  footFriction: number,
  rgba: string,
): string {
  const s = suffix;
  const colour = rgba === '' ? '' : ` rgba="${rgba}"`;
  return `<body name="thigh${s}" pos="0 0 -0.2">
        <joint name="thigh${s}_joint" type="hinge" axis="0 -1 0" pos="0 0 0" range="-150 0"/>
        <geom name="thigh${s}_geom" type="capsule" pos="0 0 -0.225" size="0.05 0.225" friction="0.9"${colour}/>
        <body name="leg${s}" pos="0 0 -0.7">
          <joint name="leg${s}_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg${s}_geom" type="capsule" size="0.04 0.25" friction="0.9"${colour}/>
          <body name="foot${s}" pos="${footOffset} 0 -0.35">
            <joint name="foot${s}_joint" type="hinge" axis="0 -1 0" pos="${-footOffset} 0 0.1" range="-45 45"/>
            <geom name="foot${s}_geom" type="capsule" pos="${-footOffset / 2} 0 0.1" axisangle="0 1 0 -90" size="0.06 ${footHalfLength}" friction="${footFriction}"${colour}/>
          </body>
        </body>
      </body>`;
}

/** The torso of Hopper / Walker2d at 1.25 m with the planar root joints (rootz has ref 1.25). */
function planarTorso(legs: string): string {
  return `<body name="torso" pos="0 0 1.25">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.05 0.2" friction="0.9"/>
      ${legs}
    </body>`;
}

/**
 * Hopper: a one-legged planar robot (torso 0.4 m, thigh, leg, foot 0.39 m with friction 2);
 * joints armature 1, damping 1; contact margin 0.001, condim 1 (floor 3); gears 200, control ±1.
 * RK4, timestep 0.002 s.
 */
export const HOPPER_XML = `<mujoco model="hopper">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="1" conaffinity="1" condim="1" margin="0.001" solref="0.02 1" solimp="0.8 0.8 0.01" rgba="0.8 0.6 0.4 1"/>
    <motor ctrllimited="true" ctrlrange="-0.4 0.4"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 0" size="20 20 0.125" conaffinity="1" condim="3" rgba="0.8 0.9 0.8 1"/>
    ${planarTorso(planarLeg('', 0.13, 0.195, 2.0, ''))}
  </worldbody>
  <actuator>
    <motor joint="thigh_joint" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="leg_joint" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="foot_joint" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/**
 * Walker2d: a two-legged planar robot (Hopper's body with two legs, feet 0.2 m with friction 1.9,
 * legs do not collide with each other); geom density 1000, friction 0.7 (0.9 on the body);
 * joints armature 0.01, damping 0.1; gears 100, control ±1. RK4, timestep 0.002 s.
 */
export const WALKER2D_XML = `<mujoco model="walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <default>
    <joint limited="true" armature="0.01" damping="0.1"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction="0.7 0.1 0.1" rgba="0.8 0.6 0.4 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 0" size="40 40 40" conaffinity="1" condim="3" rgba="0.8 0.9 0.8 1"/>
    ${planarTorso(`${planarLeg('', 0.2, 0.1, 1.9, '')}
      ${planarLeg('_left', 0.2, 0.1, 1.9, '0.7 0.3 0.6 1')}`)}
  </worldbody>
  <actuator>
    <motor joint="thigh_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="leg_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="foot_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="thigh_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="leg_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="foot_left_joint" gear="100" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/**
 * Swimmer: three 1 m capsule links (radius 0.1, density 1000) in a viscous fluid (density 4000,
 * viscosity 0.1), root joints slider1 (x), slider2 (y), free_body_rot (z hinge), two rotors ±100°;
 * armature 0.1; no contacts; gears 150, control ±1. RK4, timestep 0.01 s.
 */
export const SWIMMER_XML = `<mujoco model="swimmer">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" density="4000" viscosity="0.1"/>
  <default>
    <joint armature="0.1"/>
    <geom contype="0" conaffinity="0" condim="1" rgba="0.8 0.6 0.4 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 -0.1" size="40 40 0.1" condim="3" rgba="0.8 0.9 0.8 1"/>
    <body name="torso" pos="0 0 0">
      <geom type="capsule" fromto="1.5 0 0 0.5 0 0" size="0.1" density="1000"/>
      <joint name="slider1" type="slide" axis="1 0 0" pos="0 0 0"/>
      <joint name="slider2" type="slide" axis="0 1 0" pos="0 0 0"/>
      <joint name="free_body_rot" type="hinge" axis="0 0 1" pos="0 0 0"/>
      <body name="mid" pos="0.5 0 0">
        <geom type="capsule" fromto="0 0 0 -1 0 0" size="0.1" density="1000"/>
        <joint name="motor1_rot" type="hinge" axis="0 0 1" pos="0 0 0" limited="true" range="-100 100"/>
        <body name="back" pos="-1 0 0">
          <geom type="capsule" fromto="0 0 0 -1 0 0" size="0.1" density="1000"/>
          <joint name="motor2_rot" type="hinge" axis="0 0 1" pos="0 0 0" limited="true" range="-100 100"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor joint="motor1_rot" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="motor2_rot" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/**
 * Reacher: a two-link planar arm (links 0.1 m, joint0 unlimited, joint1 ±3 rad, armature 1,
 * damping 1) with a fingertip body at 0.11 m, and a target body on two slide joints (±0.27 m,
 * refs 0.1 / −0.1); no contacts; gears 200, control ±1. RK4, timestep 0.01 s.
 */
export const REACHER_XML = `<mujoco model="reacher">
  <compiler angle="radian" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
  </default>
  <worldbody>
    <geom name="ground" type="plane" pos="0 0 0" size="1 1 10" contype="0" conaffinity="0" rgba="0.9 0.9 0.9 1"/>
    <geom name="sideS" type="capsule" fromto="-0.3 -0.3 0.01 0.3 -0.3 0.01" size="0.02" conaffinity="0" rgba="0.9 0.4 0.6 1"/>
    <geom name="sideE" type="capsule" fromto="0.3 -0.3 0.01 0.3 0.3 0.01" size="0.02" conaffinity="0" rgba="0.9 0.4 0.6 1"/>
    <geom name="sideN" type="capsule" fromto="-0.3 0.3 0.01 0.3 0.3 0.01" size="0.02" conaffinity="0" rgba="0.9 0.4 0.6 1"/>
    <geom name="sideW" type="capsule" fromto="-0.3 -0.3 0.01 -0.3 0.3 0.01" size="0.02" conaffinity="0" rgba="0.9 0.4 0.6 1"/>
    <geom name="root" type="cylinder" fromto="0 0 0 0 0 0.02" size="0.011" contype="0" conaffinity="0" rgba="0.9 0.4 0.6 1"/>
    <body name="body0" pos="0 0 0.01">
      <geom name="link0" type="capsule" fromto="0 0 0 0.1 0 0" size="0.01" rgba="0 0.4 0.6 1"/>
      <joint name="joint0" type="hinge" axis="0 0 1" pos="0 0 0" limited="false"/>
      <body name="body1" pos="0.1 0 0">
        <joint name="joint1" type="hinge" axis="0 0 1" pos="0 0 0" range="-3 3"/>
        <geom name="link1" type="capsule" fromto="0 0 0 0.1 0 0" size="0.01" rgba="0 0.4 0.6 1"/>
        <body name="fingertip" pos="0.11 0 0">
          <geom name="fingertip" type="sphere" pos="0 0 0" size="0.01" contype="0" rgba="0 0.8 0.6 1"/>
        </body>
      </body>
    </body>
    <body name="target" pos="0.1 -0.1 0.01">
      <joint name="target_x" type="slide" axis="1 0 0" pos="0 0 0" range="-0.27 0.27" ref="0.1" armature="0" damping="0" stiffness="0"/>
      <joint name="target_y" type="slide" axis="0 1 0" pos="0 0 0" range="-0.27 0.27" ref="-0.1" armature="0" damping="0" stiffness="0"/>
      <geom name="target" type="sphere" pos="0 0 0" size="0.009" contype="0" conaffinity="0" rgba="0.9 0.2 0.2 1"/>
    </body>
  </worldbody>
  <actuator>
    <motor joint="joint0" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="joint1" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/** One Ant leg: a hip link and a lower leg along the diagonal (dx, dy) with its two joints. */
function antLeg(
  name: string,
  index: number,
  dx: number,
  dy: number,
  ankleAxis: string,
  ankleRange: string,
  geoms: [string, string, string],
): string {
  const a = (k: number): string => `${k * dx} ${k * dy} 0`;
  return `<body name="${name}" pos="0 0 0">
        <geom name="${geoms[0]}" type="capsule" fromto="0 0 0 ${a(0.2)}" size="0.08"/>
        <body name="aux_${index}" pos="${a(0.2)}">
          <joint name="hip_${index}" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="${geoms[1]}" type="capsule" fromto="0 0 0 ${a(0.2)}" size="0.08"/>
          <body pos="${a(0.2)}">
            <joint name="ankle_${index}" type="hinge" axis="${ankleAxis}" pos="0 0 0" range="${ankleRange}"/>
            <geom name="${geoms[2]}" type="capsule" fromto="0 0 0 ${a(0.4)}" size="0.08"/>
          </body>
        </body>
      </body>`;
}

/**
 * Ant: a 0.25 m sphere torso at 0.75 m on a free joint with four two-joint legs (hips ±30°,
 * ankles 30…70° in magnitude); geom density 5, friction (1, 0.5, 0.5), contact margin 0.01;
 * joints armature 1, damping 1; eight motors with gear 150, control ±1. RK4, timestep 0.01 s.
 */
export const ANT_XML = `<mujoco model="ant">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom conaffinity="0" condim="3" density="5" friction="1 0.5 0.5" margin="0.01" rgba="0.8 0.6 0.4 1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 0" size="40 40 40" conaffinity="1" condim="3" rgba="0.8 0.9 0.8 1"/>
    <body name="torso" pos="0 0 0.75">
      <geom name="torso_geom" type="sphere" pos="0 0 0" size="0.25"/>
      <joint name="root" type="free" pos="0 0 0" limited="false" armature="0" damping="0" margin="0.01"/>
      ${antLeg('front_left_leg', 1, 1, 1, '-1 1 0', '30 70', ['aux_1_geom', 'left_leg_geom', 'left_ankle_geom'])}
      ${antLeg('front_right_leg', 2, -1, 1, '1 1 0', '-70 -30', ['aux_2_geom', 'right_leg_geom', 'right_ankle_geom'])}
      ${antLeg('back_leg', 3, -1, -1, '-1 1 0', '-70 -30', ['aux_3_geom', 'back_leg_geom', 'third_ankle_geom'])}
      ${antLeg('right_back_leg', 4, 1, -1, '1 1 0', '30 70', ['aux_4_geom', 'rightback_leg_geom', 'fourth_ankle_geom'])}
    </body>
  </worldbody>
  <actuator>
    <motor joint="hip_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="ankle_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="hip_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="ankle_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="hip_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="ankle_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="hip_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor joint="ankle_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
